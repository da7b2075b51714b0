//! Turns command-line inputs (files, folders, `-`) into a lazy stream of
//! [`Item`]s, file by file, in a deterministic order.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::lines::Line;

use super::{
    ArticleError, At, Item, Location, RawArticle, Record, Rejected, feed, html, json, markdown,
    text,
};

/// One input argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file or a folder (walked recursively, in sorted order).
    Path(PathBuf),
    /// JSON Lines on standard input.
    Stdin,
    /// Bytes in memory, read as if they were a file called `name` (its
    /// extension picks the format).
    Memory {
        /// The file name to report and to take the format from.
        name: String,
        /// The content.
        bytes: Vec<u8>,
    },
}

impl Input {
    /// `-` means standard input; anything else is a path.
    pub fn from_arg(arg: &Path) -> Input {
        if arg.as_os_str() == "-" {
            Input::Stdin
        } else {
            Input::Path(arg.to_path_buf())
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    JsonLines,
    Json,
    Markdown,
    Text,
    Html,
    Feed,
    /// No extension: decided by content.
    Sniff,
}

fn format_of(path: &Path) -> Result<Format, ArticleError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "jsonl" | "ndjson" => Ok(Format::JsonLines),
        "json" => Ok(Format::Json),
        "md" | "markdown" => Ok(Format::Markdown),
        "txt" | "text" => Ok(Format::Text),
        "html" | "htm" | "xhtml" => Ok(Format::Html),
        "xml" | "rss" | "atom" | "rdf" => Ok(Format::Feed),
        "" => Ok(Format::Sniff),
        other => Err(ArticleError::UnknownFormat(format!(".{other}"))),
    }
}

/// The format a file's first bytes call for: a JSON Feed is not a JSON
/// article file, and a file without extension is a feed or a page by its
/// content (`None` when it is neither).
fn refine(format: Format, head: &[u8]) -> Option<Format> {
    match format {
        Format::Json | Format::Sniff if feed::looks_like_feed(head) => Some(Format::Feed),
        Format::Sniff if looks_like_html(head) => Some(Format::Html),
        Format::Sniff => None,
        other => Some(other),
    }
}

/// Whether a file without extension starts like a feed or a web page.
fn sniffs_as_article(path: &Path) -> bool {
    let mut head = [0u8; 2048];
    let n = File::open(path)
        .and_then(|mut f| read_up_to(&mut f, &mut head))
        .unwrap_or(0);
    refine(Format::Sniff, &head[..n]).is_some()
}

fn looks_like_html(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(1024)]).to_ascii_lowercase();
    let start = text.trim_start_matches('\u{feff}').trim_start();
    start.starts_with("<!doctype html") || start.starts_with("<html") || text.contains("<head")
}

/// Reads the head of a file to refuse binary files and to decide a format
/// that the name leaves open; returns the format and a reader that still
/// yields the whole content.
fn sniff(format: Format, mut file: Box<dyn Read>) -> Result<(Format, Box<dyn Read>), ArticleError> {
    let mut head = [0u8; 8192];
    let n = read_up_to(&mut file, &mut head).map_err(|e| io_reason(&e))?;
    if let Some(kind) = binary_kind(&head[..n]) {
        return Err(ArticleError::Binary(kind));
    }
    let format = refine(format, &head[..n])
        .ok_or_else(|| ArticleError::UnknownFormat("(no extension)".into()))?;
    Ok((
        format,
        Box::new(io::Cursor::new(head[..n].to_vec()).chain(file)),
    ))
}

/// The id of a saved page without a canonical URL: its absolute path
/// (ids may not contain whitespace, so spaces are percent-encoded).
fn page_id(path: &Path) -> String {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    path.display()
        .to_string()
        .chars()
        .map(|c| {
            if c.is_whitespace() {
                "%20".to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Recognises common binary formats by their first bytes.
fn binary_kind(head: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 7] = [
        (b"%PDF", "PDF"),
        (b"\x89PNG", "PNG"),
        (b"\xFF\xD8\xFF", "JPEG"),
        (b"GIF8", "GIF"),
        (b"PK\x03\x04", "ZIP or Office document"),
        (b"\x1F\x8B", "gzip"),
        (b"\x7FELF", "executable"),
    ];
    if let Some((_, name)) = MAGIC.iter().find(|(m, _)| head.starts_with(m)) {
        return Some(name);
    }
    // A stray NUL in a text (one bad record) is not a binary file; binary
    // formats without a known signature are full of them.
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if nuls > 0 && nuls * 100 >= head.len() {
        return Some("it contains NUL bytes");
    }
    // Compressed or random data: about a tenth control bytes and mostly
    // invalid UTF-8, where a text in the wrong encoding (Latin-1) has a few
    // percent of invalid bytes and no control bytes. Rejecting such a file
    // once beats thousands of "not UTF-8" lines.
    if head.len() < 512 {
        return None;
    }
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !b"\t\n\r\x0c".contains(&b)) || b == 0x7f)
        .count();
    let invalid: usize = head.utf8_chunks().map(|c| c.invalid().len()).sum();
    ((controls + invalid) * 10 >= head.len()).then_some("control bytes and invalid UTF-8")
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn io_reason(e: &io::Error) -> ArticleError {
    let reason = match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    ArticleError::Unreadable(reason)
}

/// Total bytes of all files named by `inputs` (for a progress bar); `None`
/// when standard input is among them.
pub fn input_size(inputs: &[Input]) -> Option<u64> {
    let mut total = 0;
    for input in inputs {
        match input {
            Input::Stdin => return None,
            Input::Memory { bytes, .. } => total += bytes.len() as u64,
            Input::Path(p) if p.is_dir() => {
                // An estimate for the progress bar: it counts what is
                // skipped later (links out of the folder, hidden folders' files).
                for entry in Walk::new(p).entries.filter_map(Result::ok) {
                    // Files of other types are skipped, so they are no work.
                    if entry.file_type().is_file() && format_of(entry.path()).is_ok() {
                        total += entry.metadata().map_or(0, |m| m.len());
                    }
                }
            }
            Input::Path(p) => total += std::fs::metadata(p).map_or(0, |m| m.len()),
        }
    }
    Some(total)
}

fn is_skipped_in_walk(name: &str) -> bool {
    // Hidden files, and a folder's README (corpus folders document themselves).
    name.starts_with('.')
        || name.eq_ignore_ascii_case("README.md")
        || name.eq_ignore_ascii_case("README")
}

/// A folder being walked.
struct Walk {
    entries: walkdir::IntoIter,
    /// The folder itself, resolved: symbolic links that lead out of it are
    /// not followed (unless asked to).
    root: Option<PathBuf>,
}

impl Walk {
    fn new(dir: &Path) -> Walk {
        Walk {
            entries: walkdir::WalkDir::new(dir)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter(),
            root: std::fs::canonicalize(dir).ok(),
        }
    }

    /// Does the symbolic link `entry` lead out of the folder? Returns its
    /// target when it does.
    fn leaves(&self, entry: &walkdir::DirEntry) -> Option<PathBuf> {
        let target = std::fs::canonicalize(entry.path()).ok()?;
        match &self.root {
            Some(root) if target.starts_with(root) => None,
            _ => Some(target),
        }
    }
}

/// What a special file (not a file, folder or link) is, for messages.
fn special_kind(file_type: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "a FIFO (named pipe)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

/// Streams the articles of JSON Lines input, line by line.
struct JsonLines {
    reader: Box<dyn BufRead>,
    path: String,
    line: usize,
    records: usize,
    buf: Vec<u8>,
    done: bool,
}

/// Reads `bytes` as a file called `name` would be read (for tests and
/// fuzzing; the extension of `name` picks the format).
pub fn read_bytes(name: &str, bytes: &[u8]) -> Vec<Item> {
    Reader::new(&[Input::Memory {
        name: name.to_string(),
        bytes: bytes.to_vec(),
    }])
    .collect()
}

/// A reader over all inputs; iterate it for [`Item`]s.
pub struct Reader {
    pending: VecDeque<PathOrStdin>,
    walker: Option<Walk>,
    /// Follow symbolic links that lead out of a folder being walked.
    follow_links: bool,
    lines: Option<JsonLines>,
    queued: VecDeque<Item>,
    bytes_done: u64,
    bytes_in_file: u64,
}

enum PathOrStdin {
    File(PathBuf),
    Dir(PathBuf),
    Stdin,
    Memory(String, Vec<u8>),
}

impl Reader {
    /// A reader over `inputs`, in the given order.
    pub fn new(inputs: &[Input]) -> Reader {
        let pending = inputs
            .iter()
            .map(|i| match i {
                Input::Stdin => PathOrStdin::Stdin,
                Input::Memory { name, bytes } => PathOrStdin::Memory(name.clone(), bytes.clone()),
                Input::Path(p) if p.is_dir() => PathOrStdin::Dir(p.clone()),
                Input::Path(p) => PathOrStdin::File(p.clone()),
            })
            .collect();
        Reader {
            pending,
            walker: None,
            follow_links: false,
            lines: None,
            queued: VecDeque::new(),
            bytes_done: 0,
            bytes_in_file: 0,
        }
    }

    /// Follows symbolic links in folders that lead out of them (by
    /// default such links are skipped and reported: a link to `/etc` in a
    /// corpus folder must not make lupe index `/etc`).
    pub fn follow_links(mut self, follow: bool) -> Reader {
        self.follow_links = follow;
        self
    }

    fn reject(&mut self, path: &Path, at: Option<At>, error: ArticleError) {
        self.queued.push_back(Item::Rejected(Rejected {
            location: Location {
                path: path.display().to_string(),
                at,
            },
            error,
        }));
    }

    fn record(&self, raw: RawArticle, path: &str, at: Option<At>) -> Item {
        let location = Location {
            path: path.to_string(),
            at,
        };
        match raw.validate() {
            Ok(article) => Item::Article(Record {
                article,
                location,
                bytes: self.bytes_done + self.bytes_in_file,
            }),
            Err(error) => Item::Rejected(Rejected { location, error }),
        }
    }

    /// [`Reader::record`] of a parsed article, or the parse error as a
    /// rejection at the same place.
    fn parsed(&self, parsed: Result<RawArticle, ArticleError>, path: &str, at: Option<At>) -> Item {
        match parsed {
            Ok(raw) => self.record(raw, path, at),
            Err(error) => Item::Rejected(Rejected {
                location: Location {
                    path: path.to_string(),
                    at,
                },
                error,
            }),
        }
    }

    /// Opens one file and queues its records (whole-file formats) or sets up
    /// line streaming (JSON Lines).
    fn open_file(&mut self, path: &Path) {
        let format = match format_of(path) {
            Ok(f) => f,
            Err(e) => return self.reject(path, None, e),
        };
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return self.reject(path, None, io_reason(&e)),
        };
        let size = file.metadata().map_or(0, |m| m.len());
        self.open_stream(path, format, Box::new(file), size);
    }

    /// Reads one file's content (from disk or memory) in `format`.
    fn open_stream(&mut self, path: &Path, format: Format, file: Box<dyn Read>, size: u64) {
        if size == 0 {
            return self.reject(path, None, ArticleError::EmptyFile);
        }
        let (format, reader) = match sniff(format, file) {
            Ok(sniffed) => sniffed,
            Err(e) => return self.reject(path, None, e),
        };
        if format == Format::JsonLines {
            self.lines = Some(JsonLines::new(
                Box::new(BufReader::with_capacity(1 << 16, reader)),
                path.display().to_string(),
            ));
            return;
        }
        let mut bytes = Vec::with_capacity(size as usize);
        if let Err(e) = { reader }.read_to_end(&mut bytes) {
            return self.reject(path, None, io_reason(&e));
        }
        self.bytes_in_file = bytes.len() as u64;
        match self.parse_whole(path, format, &bytes) {
            Ok(items) => self.queued.extend(items),
            Err(e) => self.reject(path, None, e),
        }
    }

    /// The records of a whole-file format (all but JSON Lines); an error
    /// rejects the whole file, a bad record only itself.
    fn parse_whole(
        &self,
        path: &Path,
        format: Format,
        bytes: &[u8],
    ) -> Result<Vec<Item>, ArticleError> {
        let name = path.display().to_string();
        let numbered = |i: usize| Some(At::Record(i + 1));
        match format {
            Format::Html => {
                let page = html::parse_bytes(bytes, None, &page_id(path));
                return Ok(vec![self.parsed(page, &name, None)]);
            }
            Format::Feed => {
                return Ok(feed::parse(bytes, None)?
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| self.record(item.into_raw(), &name, numbered(i)))
                    .collect());
            }
            _ => {}
        }
        let text = std::str::from_utf8(strip_bom(bytes))
            .map_err(|e| ArticleError::InvalidUtf8(e.valid_up_to()))?;
        Ok(match format {
            Format::Markdown => vec![self.parsed(markdown::parse(text), &name, None)],
            Format::Text => vec![self.record(text::parse(text), &name, None)],
            Format::Json => {
                let records = json::parse_document(text)?;
                if records.is_empty() {
                    return Err(ArticleError::EmptyFile);
                }
                records
                    .into_iter()
                    .enumerate()
                    .map(|(i, r)| self.parsed(r, &name, numbered(i)))
                    .collect()
            }
            Format::JsonLines | Format::Html | Format::Feed | Format::Sniff => {
                unreachable!("streamed or handled above")
            }
        })
    }

    fn finish_file(&mut self) {
        self.bytes_done += self.bytes_in_file;
        self.bytes_in_file = 0;
    }

    /// Takes the next path from a directory walk, or the next input.
    fn advance(&mut self) -> bool {
        while let Some(entry) = self.walker.as_mut().and_then(|w| w.entries.next()) {
            if self.visit(entry) {
                return true;
            }
        }
        self.walker = None;
        match self.pending.pop_front() {
            None => false,
            Some(next) => {
                self.open_pending(next);
                true
            }
        }
    }

    /// Takes one entry of the folder being walked: opens a file, or
    /// queues why it is skipped. False when there is nothing to say (a
    /// folder, a hidden or skipped name).
    fn visit(&mut self, entry: walkdir::Result<walkdir::DirEntry>) -> bool {
        let e = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_default();
                let error = if e.loop_ancestor().is_some() {
                    ArticleError::Unreadable("symbolic link loop; skipped".into())
                } else if let Some(io) = e.io_error() {
                    io_reason(io)
                } else {
                    ArticleError::Unreadable(e.to_string())
                };
                self.reject(&path, None, error);
                return true;
            }
        };
        let is_dir = e.file_type().is_dir();
        let Some(walk) = self.walker.as_mut() else {
            return false;
        };
        if e.depth() > 0 && is_skipped_in_walk(&e.file_name().to_string_lossy()) {
            if is_dir {
                walk.entries.skip_current_dir();
            }
            return false;
        }
        if e.depth() > 0
            && e.path_is_symlink()
            && !self.follow_links
            && let Some(target) = walk.leaves(&e)
        {
            if is_dir {
                walk.entries.skip_current_dir();
            }
            let error = ArticleError::LinkOut(target.display().to_string());
            self.reject(e.path(), None, error);
            return true;
        }
        if e.file_type().is_file() {
            let path = e.into_path();
            // A folder may hold files of other types (a .csv, a .pdf): they
            // are skipped, not errors. A file named on the command line is
            // still read or refused.
            if let Err(ArticleError::UnknownFormat(ext)) = format_of(&path) {
                self.reject(&path, None, ArticleError::OtherType(ext));
            } else if format_of(&path) == Ok(Format::Sniff) && !sniffs_as_article(&path) {
                // A Makefile or LICENSE in a corpus folder.
                let ext = "(no extension)".to_string();
                self.reject(&path, None, ArticleError::OtherType(ext));
            } else {
                self.open_file(&path);
            }
            return true;
        }
        if !is_dir {
            let error = ArticleError::Special(special_kind(e.file_type()));
            self.reject(e.path(), None, error);
            return true;
        }
        false
    }

    /// Starts on the next input named on the command line.
    fn open_pending(&mut self, next: PathOrStdin) {
        match next {
            PathOrStdin::Stdin => {
                self.lines = Some(JsonLines::new(
                    Box::new(BufReader::with_capacity(1 << 16, io::stdin())),
                    "-".into(),
                ));
            }
            PathOrStdin::Dir(dir) => self.walker = Some(Walk::new(&dir)),
            PathOrStdin::File(path) => self.open_file(&path),
            PathOrStdin::Memory(name, bytes) => {
                let path = PathBuf::from(name);
                match format_of(&path) {
                    Ok(format) => {
                        let size = bytes.len() as u64;
                        self.open_stream(&path, format, Box::new(io::Cursor::new(bytes)), size);
                    }
                    Err(e) => self.reject(&path, None, e),
                }
            }
        }
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

impl JsonLines {
    fn new(reader: Box<dyn BufRead>, path: String) -> Self {
        JsonLines {
            reader,
            path,
            line: 0,
            records: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl Iterator for Reader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.queued.pop_front() {
                return Some(item);
            }
            if let Some(lines) = &mut self.lines {
                match next_line(lines) {
                    LineResult::Line(n) => {
                        self.bytes_in_file += n as u64;
                        let lines = self.lines.as_ref().expect("set above");
                        let at = Some(At::Line(lines.line));
                        let path = lines.path.clone();
                        // A BOM may also start a line in the middle
                        // (files joined with `cat`).
                        let line = strip_bom(lines.buf.as_slice());
                        let item = match std::str::from_utf8(line) {
                            Err(e) => Item::Rejected(Rejected {
                                location: Location { path, at },
                                error: ArticleError::InvalidUtf8(e.valid_up_to()),
                            }),
                            Ok(_) => match json::parse_line(line) {
                                Ok(raw) => self.record(raw, &path, at),
                                Err(error) => Item::Rejected(Rejected {
                                    location: Location { path, at },
                                    error,
                                }),
                            },
                        };
                        return Some(item);
                    }
                    LineResult::TooLong(n) => {
                        self.bytes_in_file += n;
                        let lines = self.lines.as_ref().expect("set above");
                        return Some(Item::Rejected(Rejected {
                            location: Location {
                                path: lines.path.clone(),
                                at: Some(At::Line(lines.line)),
                            },
                            error: ArticleError::RecordTooLong(n),
                        }));
                    }
                    LineResult::Blank(n) => {
                        self.bytes_in_file += n as u64;
                        continue;
                    }
                    LineResult::End(error) => {
                        let lines = self.lines.take().expect("set above");
                        let path = PathBuf::from(&lines.path);
                        if let Some(e) = error {
                            self.reject(&path, Some(At::Line(lines.line + 1)), io_reason(&e));
                        } else if lines.records == 0 && lines.path != "-" {
                            self.reject(&path, None, ArticleError::EmptyFile);
                        }
                        self.finish_file();
                        continue;
                    }
                }
            }
            self.finish_file();
            if !self.advance() {
                return None;
            }
        }
    }
}

enum LineResult {
    /// A non-blank line is in the buffer; the number of bytes read.
    Line(usize),
    /// A line over [`super::MAX_RECORD_BYTES`] was skipped; the bytes read.
    TooLong(u64),
    /// A blank line was skipped.
    Blank(usize),
    /// End of input, or a read error.
    End(Option<io::Error>),
}

fn next_line(lines: &mut JsonLines) -> LineResult {
    if lines.done {
        return LineResult::End(None);
    }
    match crate::lines::read_line(&mut lines.reader, &mut lines.buf, super::MAX_RECORD_BYTES) {
        Ok(Line::End) => {
            lines.done = true;
            LineResult::End(None)
        }
        Ok(Line::TooLong { bytes }) => {
            lines.line += 1;
            lines.records += 1;
            LineResult::TooLong(bytes)
        }
        Ok(Line::Kept { bytes }) => {
            let n = bytes as usize;
            lines.line += 1;
            while matches!(lines.buf.last(), Some(b'\n' | b'\r')) {
                lines.buf.pop();
            }
            if lines.buf.iter().all(u8::is_ascii_whitespace) {
                LineResult::Blank(n)
            } else {
                lines.records += 1;
                LineResult::Line(n)
            }
        }
        Err(e) => {
            lines.done = true;
            LineResult::End(Some(e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(inputs: &[Input]) -> Vec<Item> {
        Reader::new(inputs).collect()
    }

    fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, content).unwrap();
        p
    }

    #[test]
    fn jsonl_good_bad_and_blank_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "a.jsonl",
            b"\xEF\xBB\xBF{\"id\":\"a\",\"body\":\"eins\"}\r\n\n{broken\n{\"id\":\"b\",\"body\":\"zwei\"}\n\xFF\xFE\n",
        );
        let items = read_all(&[Input::Path(p)]);
        assert_eq!(items.len(), 4);
        assert!(
            matches!(&items[0], Item::Article(r) if r.article.id == "a" && r.location.at == Some(At::Line(1)))
        );
        assert!(matches!(&items[1], Item::Rejected(r) if r.location.at == Some(At::Line(3))));
        assert!(matches!(&items[2], Item::Article(r) if r.article.id == "b"));
        assert!(
            matches!(&items[3], Item::Rejected(r) if matches!(r.error, ArticleError::InvalidUtf8(0)))
        );
    }

    #[test]
    fn folders_are_walked_in_order_and_skip_hidden_and_readme() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "b/z.txt", b"Titel Z\n\nText Z");
        write(dir.path(), "a.md", b"# Titel A\n\nText A");
        write(dir.path(), ".hidden.txt", b"Versteckt\n\nText");
        write(dir.path(), "README.md", b"# Doku\n\nText");
        write(dir.path(), "bild.png", b"\x89PNG....");
        let items = read_all(&[Input::Path(dir.path().to_path_buf())]);
        let summary: Vec<String> = items
            .iter()
            .map(|i| match i {
                Item::Article(r) => r.article.title.clone(),
                Item::Rejected(r) => format!("rejected {}", r.error),
            })
            .collect();
        assert_eq!(summary.len(), 3, "{summary:?}");
        assert_eq!(summary[0], "Titel A");
        assert_eq!(summary[1], "Titel Z");
        assert!(
            summary[2] == "rejected a file of another type (.png), skipped",
            "{summary:?}"
        );
    }

    #[test]
    fn binary_and_empty_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = write(dir.path(), "x.txt", b"%PDF-1.7 binary");
        let empty = write(dir.path(), "e.jsonl", b"");
        let blank = write(dir.path(), "blank.jsonl", b"\n\n");
        let missing = dir.path().join("nope.jsonl");
        let items = read_all(&[
            Input::Path(pdf),
            Input::Path(empty),
            Input::Path(blank),
            Input::Path(missing),
        ]);
        let errors: Vec<ArticleError> = items
            .into_iter()
            .map(|i| match i {
                Item::Rejected(r) => r.error,
                Item::Article(_) => panic!("no article expected"),
            })
            .collect();
        assert_eq!(
            errors,
            vec![
                ArticleError::Binary("PDF"),
                ArticleError::EmptyFile,
                ArticleError::EmptyFile,
                ArticleError::Unreadable("no such file or directory".into()),
            ]
        );
    }

    #[test]
    fn byte_counts_reach_the_total() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "a.jsonl",
            b"{\"body\":\"x\"}\n{\"body\":\"y\"}\n",
        );
        let q = write(dir.path(), "b.txt", b"T\n\nText");
        let items = read_all(&[Input::Path(p.clone()), Input::Path(q.clone())]);
        let last = match items.last().unwrap() {
            Item::Article(r) => r.bytes,
            Item::Rejected(_) => panic!(),
        };
        assert_eq!(Some(last), input_size(&[Input::Path(p), Input::Path(q)]));
    }
}
