//! A private PostgreSQL server for the account-store tests (host unit tests and the server's
//! integration tests), on a free loopback port, its data in a temporary folder; stopped and
//! removed on drop. Uses Debian's `postgresql` binaries (`scripts/setup.sh test` installs
//! them); as root it runs them as the `postgres` user, since PostgreSQL refuses root. A
//! transaction can be left holding a lock ([`PostgresServer::hold`]) to make it stuck.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A PostgreSQL server of the test's own.
pub struct PostgresServer {
    port: u16,
    dir: PathBuf,
    user: String,
    child: Child,
}

impl PostgresServer {
    /// Creates a cluster, starts it and waits until it accepts connections. Panics with the
    /// fix when PostgreSQL is not installed.
    pub fn start() -> Self {
        let bin = binaries().unwrap_or_else(|| {
            panic!("PostgreSQL is not installed: run `scripts/setup.sh test` (or apt-get install postgresql)")
        });
        let dir = std::env::temp_dir().join(format!("passwordless-pg-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let root = is_root();
        let user = if root {
            "postgres".to_owned()
        } else {
            whoami()
        };
        if root {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()
                .expect("chown runs");
            assert!(status.success(), "chown of the test cluster's folder");
        }
        let run = |program: &Path| {
            let mut command = if root {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(program);
                c
            } else {
                Command::new(program)
            };
            command.stdout(Stdio::null()).stderr(Stdio::piped());
            command
        };
        let data = dir.join("data");
        let out = run(&bin.join("initdb"))
            .args(["--auth=trust", "--encoding=UTF8", "--no-sync", "-D"])
            .arg(&data)
            .output()
            .expect("initdb runs");
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = free_port();
        let child = run(&bin.join("postgres"))
            .arg("-D")
            .arg(&data)
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-k"])
            .arg(&dir)
            .args(["-c", "fsync=off", "-c", "full_page_writes=off"])
            .stderr(Stdio::null())
            .spawn()
            .expect("postgres starts");
        let server = Self {
            port,
            dir,
            user,
            child,
        };
        server.wait_until_ready();
        server
    }

    /// `postgres://USER@127.0.0.1:PORT/postgres`.
    pub fn url(&self) -> String {
        format!("postgres://{}@127.0.0.1:{}/postgres", self.user, self.port)
    }

    /// Runs `statement` (e.g. `LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE`) in a
    /// transaction of its own connection, left open until [`HeldTransaction::release`] (or
    /// drop, which closes the connection): a stuck database for timeout tests.
    pub async fn hold(&self, statement: &str) -> HeldTransaction {
        use sqlx::{Connection, Executor};
        let mut connection = sqlx::PgConnection::connect(&self.url())
            .await
            .expect("a connection to the test PostgreSQL");
        connection.execute("BEGIN").await.expect("BEGIN");
        connection
            .execute(statement)
            .await
            .expect("the held statement");
        HeldTransaction { connection }
    }

    fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            // Ready once it accepts a TCP connection and answers a startup message.
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok()
                && Command::new(binaries().expect("binaries").join("pg_isready"))
                    .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-q"])
                    .status()
                    .is_ok_and(|s| s.success())
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the test PostgreSQL did not start within 30 s");
    }
}

/// An open transaction holding what its statement took (see [`PostgresServer::hold`]).
pub struct HeldTransaction {
    connection: sqlx::PgConnection,
}

impl HeldTransaction {
    /// Rolls back, freeing what was held.
    pub async fn release(mut self) {
        use sqlx::{Connection, Executor};
        self.connection.execute("ROLLBACK").await.expect("ROLLBACK");
        let _ = self.connection.close().await;
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The newest installed `/usr/lib/postgresql/N/bin`.
fn binaries() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("postgres").exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn whoami() -> String {
    Command::new("id")
        .arg("-un")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|_| "postgres".to_owned())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}
