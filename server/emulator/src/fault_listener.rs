//! The emulator's TCP listener: plain TCP, except that each connection carries a
//! [`ResetHandle`] (given to handlers as `ConnectInfo<ResetHandle>`) that makes the connection
//! fail and close with a TCP reset, so the `reset` fault can drop a connection without writing
//! any HTTP response.
//!
//! After [`ResetHandle::trigger`] every read, write, flush and shutdown on the connection fails
//! with `ConnectionReset`; hyper then drops the connection, and the socket, set to linger 0,
//! closes with RST. Nothing written after the trigger reaches the client.

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// Aborts the connection a request came on. Cheap to clone.
#[derive(Clone, Debug, Default)]
pub(crate) struct ResetHandle(Arc<AtomicBool>);

impl ResetHandle {
    /// From now on the connection fails; nothing more is written to it.
    pub(crate) fn trigger(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    fn is_triggered(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

impl Connected<IncomingStream<'_, FaultListener>> for ResetHandle {
    fn connect_info(stream: IncomingStream<'_, FaultListener>) -> Self {
        stream.io().reset.clone()
    }
}

/// A [`TcpListener`] whose connections can be reset on demand.
#[derive(Debug)]
pub(crate) struct FaultListener(TcpListener);

impl FaultListener {
    pub(crate) fn new(listener: TcpListener) -> Self {
        Self(listener)
    }
}

impl Listener for FaultListener {
    type Io = ResettableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        // axum's own accept loop: retries and logs accept errors.
        let (stream, addr) = Listener::accept(&mut self.0).await;
        let io = ResettableStream {
            stream,
            reset: ResetHandle::default(),
        };
        (io, addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// A [`TcpStream`] that fails once its [`ResetHandle`] is triggered.
#[derive(Debug)]
pub(crate) struct ResettableStream {
    stream: TcpStream,
    reset: ResetHandle,
}

impl ResettableStream {
    /// `Some(error)` once the reset is triggered; also arranges for a RST on close.
    fn aborted(&self) -> Option<io::Error> {
        if !self.reset.is_triggered() {
            return None;
        }
        // Best effort: without it the close is a plain FIN, still with no response.
        let _ = self.stream.set_zero_linger();
        Some(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "emulator fault: connection reset",
        ))
    }
}

impl AsyncRead for ResettableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(error) = this.aborted() {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ResettableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Some(error) = this.aborted() {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Some(error) = this.aborted() {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(error) = this.aborted() {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut this.stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(error) = this.aborted() {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut this.stream).poll_shutdown(cx)
    }
}
