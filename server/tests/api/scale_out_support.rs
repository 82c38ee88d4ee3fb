//! A private `redis-server` for the scale-out tests, on a free loopback port (append-only
//! file in a temporary directory, so a restart keeps its data); killed on drop.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::free_port;

/// A `redis-server` of our own.
pub struct RedisServer {
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
    /// Serve only TLS (certificates from [`Self::start_tls`]) on `port`.
    tls: bool,
}

impl RedisServer {
    /// Starts Redis and waits until it accepts connections. Panics with the fix when
    /// `redis-server` is not installed (`scripts/setup.sh test` installs it as root).
    pub fn start() -> Self {
        let dir = std::env::temp_dir().join(format!("passwordless-redis-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let mut redis = Self {
            port: free_port(),
            dir,
            child: None,
            tls: false,
        };
        redis.launch();
        redis
    }

    /// Starts Redis serving only TLS, with a certificate for `localhost` and `127.0.0.1`
    /// signed by a fresh private CA ([`Self::ca_file`]), made with the `openssl` CLI.
    pub fn start_tls() -> Self {
        let dir = std::env::temp_dir().join(format!("passwordless-redis-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let openssl = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(&dir)
                .output()
                .expect("openssl runs");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        openssl(
            &[
                &["req", "-x509", "-days", "1", "-subj", "/CN=Test CA"][..],
                &ec,
                &["-keyout", "ca.key", "-out", "ca.pem"],
            ]
            .concat(),
        );
        openssl(
            &[
                &["req", "-subj", "/CN=localhost"][..],
                &ec,
                &["-keyout", "server.key", "-out", "server.csr"],
            ]
            .concat(),
        );
        std::fs::write(
            dir.join("san.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
        )
        .expect("ext file");
        openssl(&[
            "x509",
            "-req",
            "-days",
            "1",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-extfile",
            "san.ext",
            "-out",
            "server.pem",
        ]);
        let mut redis = Self {
            port: free_port(),
            dir,
            child: None,
            tls: true,
        };
        redis.launch();
        redis
    }

    /// The private CA's certificate (PEM) of a [`Self::start_tls`] server.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// `redis://127.0.0.1:PORT`, or `rediss://localhost:PORT` for a TLS server.
    pub fn url(&self) -> String {
        if self.tls {
            format!("rediss://localhost:{}", self.port)
        } else {
            format!("redis://127.0.0.1:{}", self.port)
        }
    }

    fn launch(&mut self) {
        let binary = std::env::var("REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
        let mut command = Command::new(&binary);
        let port = self.port.to_string();
        if self.tls {
            command
                .args([
                    "--port",
                    "0",
                    "--tls-port",
                    &port,
                    "--tls-auth-clients",
                    "no",
                ])
                .args([
                    "--tls-cert-file",
                    "server.pem",
                    "--tls-key-file",
                    "server.key",
                ])
                .args(["--tls-ca-cert-file", "ca.pem"]);
        } else {
            command.args(["--port", &port]);
        }
        let child = command
            .current_dir(&self.dir)
            .args(["--bind", "127.0.0.1"])
            .args([
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run `{binary}` ({e}): install Debian's redis-server \
                     (`scripts/setup.sh test` does it as root) or set REDIS_SERVER"
                )
            });
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops Redis the way an operator or a crash would end it (SIGTERM; the append-only
    /// file keeps every write).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            signal(&child, "TERM");
            let _ = child.wait();
        }
    }

    /// Starts Redis again on the same port and data directory.
    pub fn restart(&mut self) {
        self.stop();
        self.launch();
    }

    /// Every key and its TTL in seconds (`-1`: no expiry), read with `redis-cli`.
    pub fn keys_with_ttl(&self) -> Vec<(String, i64)> {
        let cli = |args: &[&str]| {
            let out = Command::new("redis-cli")
                .args(["-p", &self.port.to_string()])
                .args(args)
                .output()
                .expect("redis-cli runs (Debian's redis-tools, installed with redis-server)");
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        cli(&["--scan"])
            .lines()
            .map(|key| {
                let ttl = cli(&["TTL", key]).trim().parse().unwrap_or(-2);
                (key.to_owned(), ttl)
            })
            .collect()
    }

    /// Freezes Redis (SIGSTOP): connections stay open but nothing answers.
    pub fn freeze(&self) {
        if let Some(child) = &self.child {
            signal(child, "STOP");
        }
    }

    /// Undoes [`Self::freeze`].
    pub fn thaw(&self) {
        if let Some(child) = &self.child {
            signal(child, "CONT");
        }
    }
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{name} failed");
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
