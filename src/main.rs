//! The page binary: mounts the Leptos app. All logic lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    agent_traces_app::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the app runs in a browser: see README.md (`scripts/serve.sh`)");
}
