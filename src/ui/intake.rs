//! What the user gave us, as files with their paths: picked one by one, chosen as a folder
//! (`webkitdirectory`), dropped (files and folders, walked recursively), or opened from the Hub
//! or a URL (`hub`: remote files read by ranges). Files inside folders that are not data
//! (READMEs, hidden files) are set aside and listed, never silently dropped.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DataTransfer, File, FileSystemDirectoryEntry, FileSystemDirectoryReader, FileSystemEntry,
    FileSystemFileEntry,
};

use crate::worker::Remote;
use agent_traces::hub::Target;
use agent_traces::ingest::is_data_file;

/// Where a file's bytes are: on this machine (picked or dropped), or on a web server.
#[derive(Clone)]
pub enum Input {
    Local(File),
    Remote(Remote),
}

impl Input {
    pub fn size(&self) -> u64 {
        match self {
            Input::Local(f) => f.size() as u64,
            Input::Remote(r) => r.size,
        }
    }

    /// What a request to a worker carries: the `File`, or the remote file as JSON text.
    pub fn attachment(&self) -> JsValue {
        match self {
            Input::Local(f) => f.clone().into(),
            Input::Remote(r) => JsValue::from_str(&serde_json::to_string(r).unwrap_or_default()),
        }
    }
}

/// A file to read and its path relative to what was dropped or chosen (`kimi/train.parquet`), or
/// in its Hub repository, or just its name.
#[derive(Clone)]
pub struct Picked {
    pub file: Input,
    pub path: String,
}

impl Picked {
    pub fn bare(file: File) -> Picked {
        Picked {
            path: file.name(),
            file: Input::Local(file),
        }
    }
}

/// Files to read, and the paths of files inside folders that were set aside.
#[derive(Default)]
pub struct Intake {
    pub files: Vec<Picked>,
    pub ignored: Vec<String>,
    /// The remote source the files come from (kept in the URL, so a link reads them again).
    pub source: Option<Target>,
}

impl Intake {
    /// Adds a file found at `path`; `in_folder` files must look like data.
    fn add(&mut self, file: File, path: String, in_folder: bool) {
        if in_folder && !is_data_file(&path) {
            self.ignored.push(path);
        } else {
            self.files.push(Picked {
                file: Input::Local(file),
                path,
            });
        }
    }

    /// Files in path order, so a folder's shards come in order whatever order the browser
    /// listed them in.
    fn sorted(mut self) -> Intake {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        self.ignored.sort();
        self
    }

    /// Appends `other` after these files.
    fn append(&mut self, other: Intake) {
        self.files.extend(other.files);
        self.ignored.extend(other.ignored);
    }
}

/// The files of an `<input type=file>`, with `webkitRelativePath` when a folder was chosen.
pub fn from_input(input: &web_sys::HtmlInputElement) -> Intake {
    let mut intake = Intake::default();
    let Some(list) = input.files() else {
        return intake;
    };
    let mut in_folder = Intake::default();
    for file in (0..list.length()).filter_map(|i| list.get(i)) {
        let relative = js_sys::Reflect::get(&file, &"webkitRelativePath".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        if relative.is_empty() {
            intake.add(file.clone(), file.name(), false);
        } else {
            in_folder.add(file, relative, true);
        }
    }
    intake.append(in_folder.sorted());
    intake
}

/// What a drop holds. The entries must be taken during the drop event (the browser empties the
/// `DataTransfer` afterwards); walking folders happens after, asynchronously.
pub struct Dropped {
    entries: Vec<FileSystemEntry>,
    files: Vec<File>,
}

impl Dropped {
    pub fn take(dt: &DataTransfer) -> Dropped {
        let items = dt.items();
        let mut entries = Vec::new();
        let mut files = Vec::new();
        for i in 0..items.length() {
            let Some(item) = items.get(i) else { continue };
            if item.kind() != "file" {
                continue;
            }
            match item.webkit_get_as_entry() {
                Ok(Some(entry)) => entries.push(entry),
                // No entry (e.g. a synthetic drop): the file itself.
                _ => files.extend(item.get_as_file().ok().flatten()),
            }
        }
        Dropped { entries, files }
    }

    /// Collects the dropped files, in the order dropped, then walks dropped folders and adds
    /// their files in path order.
    pub async fn collect(self) -> Result<Intake, String> {
        let mut intake = Intake::default();
        for f in self.files {
            intake.add(f.clone(), f.name(), false);
        }
        let mut folders = Intake::default();
        let mut stack: Vec<(FileSystemEntry, bool)> = Vec::new();
        for entry in self.entries {
            if entry.is_file() {
                let file = file_of(entry.unchecked_ref()).await?;
                intake.add(file, entry.name(), false);
            } else {
                stack.push((entry, false));
            }
        }
        while let Some((entry, in_folder)) = stack.pop() {
            let path = entry.full_path().trim_start_matches('/').to_owned();
            if entry.is_directory() {
                let dir: FileSystemDirectoryEntry = entry.unchecked_into();
                let reader = dir.create_reader();
                loop {
                    let batch = read_entries(&reader).await?;
                    if batch.is_empty() {
                        break;
                    }
                    stack.extend(batch.into_iter().map(|e| (e, true)));
                }
            } else if entry.is_file() {
                let file = file_of(entry.unchecked_ref()).await?;
                folders.add(file, path, in_folder);
            }
        }
        intake.append(folders.sorted());
        Ok(intake)
    }
}

/// A promise settled by a callback-style API: `start(resolve, reject)`.
async fn settle(
    start: impl FnOnce(&Function, &Function) -> Result<(), JsValue>,
) -> Result<JsValue, String> {
    let mut start = Some(start);
    let mut failed = None;
    let promise = Promise::new(&mut |resolve, reject| {
        if let Some(start) = start.take() {
            if let Err(e) = start(&resolve, &reject) {
                failed = Some(e);
            }
        }
    });
    if let Some(e) = failed {
        return Err(super::js_error(e));
    }
    JsFuture::from(promise).await.map_err(super::js_error)
}

/// One batch of a folder's entries (empty once all were read).
async fn read_entries(reader: &FileSystemDirectoryReader) -> Result<Vec<FileSystemEntry>, String> {
    let batch = settle(|ok, err| reader.read_entries_with_callback_and_callback(ok, err)).await?;
    Ok(batch
        .dyn_into::<Array>()
        .map(|a| a.iter().map(JsCast::unchecked_into).collect())
        .unwrap_or_default())
}

async fn file_of(entry: &FileSystemFileEntry) -> Result<File, String> {
    let file = settle(|ok, err| {
        entry.file_with_callback_and_callback(ok, err);
        Ok(())
    })
    .await?;
    file.dyn_into::<File>()
        .map_err(|_| format!("{} is not a readable file", entry.full_path()))
}
