//! Binding the listeners and serving connections. The accept loop is our own (hyper's
//! HTTP/1 server over tokio) so that each request carries its peer address and a switch that
//! closes its connection without an answer (the `drop` fault).

use crate::app::{AppState, ConnCtl, Shared};
use crate::cli::Config;
use crate::store::{self, AppEntry, Store, StoreOptions};
use crate::{app_host, control, page, rest, uploads};
use axum::Router;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use tower::ServiceExt;

pub const DEFAULT_HANDLER: &str = "http://127.0.0.1:8080/handler/";

/// A started emulator.
pub struct Running {
    pub editor_addr: SocketAddr,
    pub app_addr: Option<SocketAddr>,
    pub shared: AppState,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// The line tests and the dev script wait for.
    pub fn ready_line(&self) -> String {
        let mut line = format!("EMULATOR_READY editor=http://{}/", self.editor_addr);
        if let Some(a) = self.app_addr {
            line.push_str(&format!(" app=http://{a}/"));
        }
        line
    }

    /// Stops accepting, closes open connections and waits for the accept loops.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// Page, REST and control endpoint on one router.
pub fn editor_router(shared: AppState) -> Router {
    Router::new()
        .merge(page::router())
        .merge(rest::router())
        .merge(control::router())
        .merge(uploads::router())
        .with_state(shared)
}

/// Binds the listeners (port 0 = any free port) and starts serving.
pub async fn start(cfg: Config) -> Result<Running, String> {
    let seed = match &cfg.blocks_dir {
        Some(dir) => store::seed_from_dir(dir)?,
        None => store::embedded_seed()?,
    };
    let editor_listener = TcpListener::bind(cfg.addr)
        .await
        .map_err(|e| format!("--addr {}: {e}", cfg.addr))?;
    let editor_addr = editor_listener
        .local_addr()
        .map_err(|e| format!("--addr {}: {e}", cfg.addr))?;
    let app = match &cfg.app_dir {
        Some(dir) => {
            if !dir.is_dir() {
                eprintln!(
                    "emulator: warning: --app-dir {} is not a directory (yet)",
                    dir.display()
                );
            }
            let l = TcpListener::bind(cfg.app_addr)
                .await
                .map_err(|e| format!("--app-addr {}: {e}", cfg.app_addr))?;
            let a = l
                .local_addr()
                .map_err(|e| format!("--app-addr {}: {e}", cfg.app_addr))?;
            Some((l, a, dir.clone()))
        }
        None => None,
    };
    let app_addr = app.as_ref().map(|(_, a, _)| *a);
    let handler = match (&cfg.app_handler, app_addr) {
        (Some(h), _) => h.clone(),
        (None, Some(a)) => format!("http://{a}/"),
        (None, None) => DEFAULT_HANDLER.to_string(),
    };
    let store = Store::new(StoreOptions {
        seed,
        app: AppEntry {
            handler,
            title: cfg.app_title.clone(),
        },
        fresh_install: cfg.fresh_install,
        is_admin: cfg.is_admin,
        access: cfg.access,
        token_lifetime_secs: cfg.token_lifetime_secs,
        latency_ms: cfg.latency_ms,
        state_file: cfg.state_file.clone(),
    })?;
    let mut store = store;
    store.base_url = format!("http://{editor_addr}");
    let shared = Arc::new(Shared {
        store: Mutex::new(store),
        editor_addr,
        app_addr,
    });
    let (stop, stop_rx) = watch::channel(false);
    let mut tasks = vec![tokio::spawn(accept_loop(
        editor_listener,
        editor_router(shared.clone()),
        stop_rx.clone(),
    ))];
    if let Some((listener, _, dir)) = app {
        tasks.push(tokio::spawn(accept_loop(
            listener,
            app_host::router(dir),
            stop_rx,
        )));
    }
    Ok(Running {
        editor_addr,
        app_addr,
        shared,
        stop,
        tasks,
    })
}

async fn accept_loop(listener: TcpListener, router: Router, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    tokio::spawn(serve_connection(stream, peer, router.clone(), stop.clone()));
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait a little instead of spinning.
                    eprintln!("emulator: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            _ = stop.changed() => break,
        }
    }
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    mut stop: watch::Receiver<bool>,
) {
    let kill = Arc::new(Notify::new());
    let ctl = ConnCtl {
        peer,
        kill: kill.clone(),
    };
    let service =
        hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ctl.clone());
            router.clone().oneshot(req.map(axum::body::Body::new))
        });
    // One request per connection: a browser silently re-sends a request whose reused
    // keep-alive connection closed without an answer, which would hide the `drop` fault.
    // On loopback the extra connections cost nothing.
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(false)
        .serve_connection(TokioIo::new(stream), service);
    // Whichever ends first; dropping `conn` closes the socket without another byte.
    tokio::select! {
        _ = conn => {}
        _ = kill.notified() => {}
        _ = stop.changed() => {}
    }
}
