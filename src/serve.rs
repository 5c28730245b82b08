//! Serve: build into memory, serve it on loopback, rebuild when files change.
//!
//! Steps: build the site into an in-memory [`Output`] (never touching
//! `public/`); serve it with axum, looking paths up in that map only, so no
//! request can reach the file system; watch the site's folders (debounced,
//! access events and editor temp files dropped); on a change rebuild, swap in
//! the new output if it has no error (else keep the last good one and print
//! the errors), and tell open tabs to reload over server-sent events.
//!
//! Incremental path ([`session`]): the build records what every output
//! file read (other pages' list entries, templates, UI strings, URLs); a
//! change re-renders exactly the files whose reads changed, with the same
//! checks as a build, and tells open tabs to reload; the feeds, sitemap,
//! static and offline files with their checks, and the search index, follow,
//! so the served output and the diagnostics equal a fresh build's.
//! site.yaml, the theme's static files, a template added or removed
//! and any error go to a full rebuild, which keeps the last good output and
//! shows the errors over it. Each change prints one line: what kind of change
//! it was, how many pages were rendered again, and the time.
//!
//! Limits: it binds 127.0.0.1 unless told otherwise; at most
//! [`MAX_CONNECTIONS`] connections are served at once (further ones wait in
//! the kernel's queue) and at most [`MAX_EVENT_STREAMS`] live-reload streams
//! are open (further ones get 503 and the browser retries), so many tabs or a
//! flood of connections cannot grow memory without bound. Request bodies are
//! never read. Every text response names `charset=utf-8`, and every response
//! says `X-Content-Type-Options: nosniff`.

use std::convert::Infallible;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Response, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use notify::EventKind;
use notify::RecommendedWatcher;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, broadcast};
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::BroadcastStream;

use crate::build::BuildOptions;
use crate::output::Output;

pub(crate) mod session;
use session::Session;

/// The path of the live-reload script injected into served pages.
pub(crate) const RELOAD_SCRIPT: &str = "/__signpost/reload.js";
const EVENTS_PATH: &str = "/__signpost/events";
const RELOAD_JS: &str =
    "new EventSource(\"/__signpost/events\").onmessage=function(){location.reload()};\n";

/// Connections served at once; more wait until one closes.
pub(crate) const MAX_CONNECTIONS: usize = 512;
/// Live-reload event streams open at once; more are answered 503.
pub(crate) const MAX_EVENT_STREAMS: usize = 128;

#[derive(Clone)]
struct Served {
    /// Permits for live-reload streams.
    streams: Arc<Semaphore>,
    output: Arc<RwLock<Output>>,
    /// The last build's errors, shown over every page until a build succeeds.
    errors: Arc<RwLock<Option<String>>>,
    reloads: broadcast::Sender<u64>,
}

/// Builds the site, serves it on `bind:port` and rebuilds on every change, until stopped.
pub fn serve(options: &BuildOptions, bind: &str, port: u16, open: bool) -> Result<(), String> {
    let (session, outcome) = Session::open(options);
    let first_errors = session.errors().map(str::to_string);
    let mut first = Output::default();
    outcome.apply(&mut first);
    let (reloads, _) = broadcast::channel(16);
    let served = Served {
        streams: Arc::new(Semaphore::new(MAX_EVENT_STREAMS)),
        output: Arc::new(RwLock::new(first)),
        errors: Arc::new(RwLock::new(first_errors)),
        reloads,
    };
    let (events_tx, events_rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let debouncer = watch(&options.root, events_tx)?;
    let mut rebuilder = Rebuilder {
        session,
        served: served.clone(),
        generation: 0,
    };
    std::thread::spawn(move || {
        while let Ok(result) = events_rx.recv() {
            rebuilder.on_events(result);
        }
    });
    listen(options, bind, port, open, served)?;
    drop(debouncer);
    Ok(())
}

/// The file watcher: the site's folders and site.yaml, debounced by 30 ms,
/// reporting to `events`.
fn watch(
    root: &std::path::Path,
    events: std::sync::mpsc::Sender<DebounceEventResult>,
) -> Result<Debouncer<RecommendedWatcher, RecommendedCache>, String> {
    let mut debouncer = new_debouncer(Duration::from_millis(30), None, events)
        .map_err(|e| format!("cannot watch files: {e}"))?;
    for folder in ["content", "templates", "themes", "i18n", "static"] {
        let path = root.join(folder);
        if path.is_dir() {
            debouncer
                .watch(&path, notify::RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }
    debouncer
        .watch(
            root.join(crate::config::CONFIG_FILE),
            notify::RecursiveMode::NonRecursive,
        )
        .map_err(|e| format!("cannot watch site.yaml: {e}"))?;
    Ok(debouncer)
}

/// What the watcher thread keeps between changes: the build to update,
/// and the state it shares with the server.
struct Rebuilder {
    session: Session,
    served: Served,
    /// Counts the reloads sent to open tabs.
    generation: u64,
}

impl Rebuilder {
    /// Handles one debounced batch of changes: updates what the change
    /// reaches, or rebuilds, then tells open tabs to reload.
    fn on_events(&mut self, result: DebounceEventResult) {
        let Ok(events) = result else { return };
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)))
            .flat_map(|e| e.paths.iter().cloned())
            .filter(|p| !crate::source::is_hidden(p))
            .collect();
        paths.sort();
        paths.dedup();
        if paths.is_empty() {
            return;
        }
        let outcome = self.session.change(&paths);
        if let Ok(mut shown) = self.served.errors.write() {
            *shown = self.session.errors().map(str::to_string);
        }
        if let Ok(mut current) = self.served.output.write() {
            outcome.apply(&mut current);
        }
        self.generation += 1;
        let _ = self.served.reloads.send(self.generation);
        // The pages are served; the site's other files and the search index
        // follow (no page shows them, so the tabs need no second reload,
        // unless their checks found an error and everything was rebuilt).
        if let Some(outcome) = self.session.follow_up() {
            let rebuilt = !matches!(outcome, session::Outcome::Patch { .. });
            if let Ok(mut current) = self.served.output.write() {
                outcome.apply(&mut current);
            }
            if rebuilt {
                if let Ok(mut shown) = self.served.errors.write() {
                    *shown = self.session.errors().map(str::to_string);
                }
                self.generation += 1;
                let _ = self.served.reloads.send(self.generation);
            }
        }
    }
}

/// Serves `served` on `bind:port` until stopped, at most
/// [`MAX_CONNECTIONS`] connections at once; opens a browser when asked.
fn listen(
    options: &BuildOptions,
    bind: &str,
    port: u16,
    open: bool,
    served: Served,
) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = TcpListener::bind((bind, port))
            .await
            .map_err(|e| format!("cannot listen on {bind}:{port}: {e}"))?;
        let listener = Limited {
            inner: listener,
            permits: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
        };
        let address = axum::serve::Listener::local_addr(&listener).map_err(|e| e.to_string())?;
        let url = format!("http://{address}/");
        eprintln!(
            "signpost: serving {} at {url} (Ctrl+C to stop)",
            options.root.display()
        );
        if open {
            let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
        }
        let app = Router::new()
            .route(EVENTS_PATH, axum::routing::get(events))
            .fallback(file)
            .with_state(served);
        axum::serve(listener, app).await.map_err(|e| e.to_string())
    })
}

async fn events(State(served): State<Served>) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let Ok(permit) = served.streams.clone().try_acquire_owned() else {
        let mut response = respond(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/plain; charset=utf-8",
            b"too many live-reload streams".to_vec(),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return response.into_response();
    };
    Sse::new(reload_stream(&served, permit))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// The reload events of one tab; holds its permit until the tab goes away.
fn reload_stream(
    served: &Served,
    permit: OwnedSemaphorePermit,
) -> impl Stream<Item = Result<Event, Infallible>> + use<> {
    BroadcastStream::new(served.reloads.subscribe())
        .filter_map(|generation| generation.ok())
        .map(move |generation| {
            let _held = &permit;
            Ok(Event::default().data(generation.to_string()))
        })
}

/// A TCP listener that serves at most as many connections as it has permits.
struct Limited {
    inner: TcpListener,
    permits: Arc<Semaphore>,
}

/// A connection that gives its permit back when it closes.
struct LimitedStream {
    stream: TcpStream,
    _permit: OwnedSemaphorePermit,
}

impl axum::serve::Listener for Limited {
    type Io = LimitedStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let permit = loop {
            if let Ok(permit) = self.permits.clone().acquire_owned().await {
                break permit;
            }
        };
        let (stream, address) = axum::serve::Listener::accept(&mut self.inner).await;
        (
            LimitedStream {
                stream,
                _permit: permit,
            },
            address,
        )
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

impl AsyncRead for LimitedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for LimitedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

async fn file(State(served): State<Served>, uri: Uri) -> Response<Body> {
    if uri.path() == RELOAD_SCRIPT {
        return respond(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            RELOAD_JS.as_bytes().to_vec(),
        );
    }
    let errors = served.errors.read().ok().and_then(|e| e.clone());
    let Ok(output) = served.output.read() else {
        return respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/plain; charset=utf-8",
            b"busy".to_vec(),
        );
    };
    let page = |html: &[u8]| decorate(html, errors.as_deref());
    match lookup(&output, uri.path()) {
        Lookup::Found(path, bytes) => {
            let content_type = content_type(&path);
            let body = if content_type.starts_with("text/html") {
                page(bytes)
            } else {
                bytes.clone()
            };
            respond(StatusCode::OK, &content_type, body)
        }
        Lookup::Redirect(location) => {
            let mut response = respond(
                StatusCode::MOVED_PERMANENTLY,
                "text/plain; charset=utf-8",
                Vec::new(),
            );
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Lookup::Missing => {
            let fallback = b"<!DOCTYPE html><html><head><meta charset=utf-8><title>signpost</title></head><body></body></html>".to_vec();
            let body = page(output.files.get("404.html").unwrap_or(&fallback));
            respond(StatusCode::NOT_FOUND, "text/html; charset=utf-8", body)
        }
    }
}

/// Adds the live-reload script, and the build errors over the page when there are some.
fn decorate(html: &[u8], errors: Option<&str>) -> Vec<u8> {
    let mut text = String::from_utf8_lossy(html).into_owned();
    if let Some(errors) = errors {
        let escaped = errors
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let overlay = format!(
            "<div id=\"signpost-errors\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
             background:rgba(20,0,0,.92);color:#fff;padding:1.5rem;font:14px/1.5 monospace\">\
             <h1 style=\"font-size:18px;margin:0 0 1rem\">signpost: the build failed — showing the last good version underneath</h1>\
             <pre style=\"white-space:pre-wrap\">{escaped}</pre></div>"
        );
        match text
            .find("<body")
            .and_then(|i| text[i..].find('>').map(|j| i + j + 1))
        {
            Some(at) => text.insert_str(at, &overlay),
            None => text.push_str(&overlay),
        }
    }
    let tag = format!("<script src=\"{RELOAD_SCRIPT}\" defer></script>");
    match text.rfind("</body>") {
        Some(i) => text.insert_str(i, &tag),
        None => text.push_str(&tag),
    }
    text.into_bytes()
}

enum Lookup<'a> {
    Found(String, &'a Vec<u8>),
    Redirect(String),
    Missing,
}

/// Finds a request path in the output: `/en/` → `en/index.html`; `/en` → redirect to `/en/`.
fn lookup<'a>(output: &'a Output, request: &str) -> Lookup<'a> {
    let decoded = percent_encoding::percent_decode_str(request).decode_utf8_lossy();
    let relative = decoded.trim_start_matches('/');
    if relative.split('/').any(|s| s == ".." || s == ".")
        || relative.contains('\\')
        || relative.contains('\0')
    {
        return Lookup::Missing;
    }
    let candidate = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    };
    if let Some(bytes) = output.files.get(&candidate) {
        return Lookup::Found(candidate, bytes);
    }
    if output.files.contains_key(&format!("{relative}/index.html")) {
        // One leading slash only: `//host/x` would send the browser to another host.
        return Lookup::Redirect(format!("/{}/", request.trim_start_matches('/')));
    }
    Lookup::Missing
}

fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    match mime.type_() {
        mime_guess::mime::TEXT => format!("{mime}; charset=utf-8"),
        _ if mime.subtype() == "javascript"
            || mime.subtype() == "json"
            || mime.subtype() == "xml" =>
        {
            format!("{mime}; charset=utf-8")
        }
        _ => mime.to_string(),
    }
}

fn respond(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_stay_inside_the_output() {
        let mut output = Output::default();
        output.add("index.html", "home");
        output.add("en/index.html", "en");
        output.add("signage.css", "css");
        assert!(matches!(lookup(&output, "/"), Lookup::Found(p, _) if p == "index.html"));
        assert!(matches!(lookup(&output, "/en/"), Lookup::Found(p, _) if p == "en/index.html"));
        assert!(matches!(lookup(&output, "/en"), Lookup::Redirect(l) if l == "/en/"));
        assert!(matches!(lookup(&output, "//en"), Lookup::Redirect(l) if l == "/en/"));
        assert!(matches!(lookup(&output, "/../etc/passwd"), Lookup::Missing));
        assert!(matches!(
            lookup(&output, "/%2e%2e/etc/passwd"),
            Lookup::Missing
        ));
        assert_eq!(content_type("signage.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("en/index.html"), "text/html; charset=utf-8");
    }
}
