//! The part of the grading harness that does not touch the student's types, compiled once per
//! toolchain as a library that every probe build links (`[build] library` in exercise.toml):
//! reading a scenario's parameters, reporting observations as JSON on the grader's channel,
//! catching panics — and the ndarray operations on `f64` arrays that the exercise's code uses,
//! instantiated here once so that each build reuses them instead of compiling its own copy.
//!
//! Nothing here knows the backprop solution, so students' code may link it without harm.

use ndarray::{Array2, ArrayView1, Axis, Zip};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::alloc::{GlobalAlloc, Layout, System};
use std::panic;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Mutex;

/// Observations by key, as the probe reports them.
pub type Observations = BTreeMap<String, Json>;

/// A scenario's kind and its `key=value` parameters, from the command line.
pub struct Params {
    pub kind: String,
    values: BTreeMap<String, String>,
}

impl Params {
    pub fn from_args(args: &[String]) -> Result<Params, String> {
        let (kind, rest) = args
            .split_first()
            .ok_or("usage: probe <kind> key=value ...")?;
        let mut values = BTreeMap::new();
        for arg in rest {
            let (key, value) = arg
                .split_once('=')
                .ok_or_else(|| format!("argument `{arg}` is not key=value"))?;
            values.insert(key.to_string(), value.to_string());
        }
        Ok(Params {
            kind: kind.clone(),
            values,
        })
    }

    pub fn get<T: std::str::FromStr>(&self, key: &str) -> Result<T, String> {
        let text = self
            .values
            .get(key)
            .ok_or_else(|| format!("missing parameter `{key}`"))?;
        text.parse()
            .map_err(|_| format!("parameter `{key}` has a bad value `{text}`"))
    }

    pub fn get_or<T: std::str::FromStr>(&self, key: &str, default: T) -> Result<T, String> {
        if self.values.contains_key(key) {
            self.get(key)
        } else {
            Ok(default)
        }
    }

    pub fn list<T: std::str::FromStr>(&self, key: &str) -> Result<Vec<T>, String> {
        let text = self
            .values
            .get(key)
            .ok_or_else(|| format!("missing parameter `{key}`"))?;
        text.split(',')
            .map(|item| {
                item.trim()
                    .parse()
                    .map_err(|_| format!("parameter `{key}` has a bad item `{item}`"))
            })
            .collect()
    }
}

/// Runs one scenario and reports its observations, its error (the exercise's fault: a bad
/// parameter) or the panic that stopped it (message and location), on the grader's channel.
pub fn report(
    args: &[String],
    scenario: impl FnOnce(&Params) -> Result<Observations, String> + panic::UnwindSafe,
) {
    CHANNEL.store(channel_fd().unwrap_or(-1), Ordering::Relaxed);
    let output = match Params::from_args(args) {
        Err(message) => Json::object([("error", Json::Str(message))]),
        Ok(params) => run_catching_panics(move || scenario(&params)),
    };
    emit(&output);
}

/// The channel's descriptor, as the grader names it in `GRADE_OBS_FD`.
fn channel_fd() -> Option<i32> {
    std::env::var("GRADE_OBS_FD").ok()?.parse().ok()
}

/// The channel's descriptor for the allocator, which may not allocate to find it (-1: none).
static CHANNEL: AtomicI32 = AtomicI32::new(-1);

/// The system's allocator, which says on the channel when it refuses an allocation (the probe's
/// memory limit), before the Rust runtime aborts: the grader then knows the run hit its limit
/// without reading the runtime's words on stderr.
struct ReportingAllocator;

// SAFETY: every call is passed to `System` unchanged; a refusal only adds a write(2).
unsafe impl GlobalAlloc for ReportingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees are `System`'s.
        let pointer = unsafe { System.alloc(layout) };
        if pointer.is_null() {
            out_of_memory(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if pointer.is_null() {
            out_of_memory(layout.size());
        }
        pointer
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        // SAFETY: as above.
        let moved = unsafe { System.realloc(pointer, layout, size) };
        if moved.is_null() {
            out_of_memory(size);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: ReportingAllocator = ReportingAllocator;

/// Writes `{"out_of_memory":{"bytes":N}}` on the channel, without allocating.
fn out_of_memory(bytes: usize) {
    let fd = CHANNEL.load(Ordering::Relaxed);
    if fd < 0 {
        return;
    }
    let mut record = [0u8; 64];
    let head = b"{\"out_of_memory\":{\"bytes\":";
    record[..head.len()].copy_from_slice(head);
    let mut length = head.len();
    let mut digits = [0u8; 20];
    let (mut rest, mut count) = (bytes, 0);
    loop {
        digits[count] = b'0' + (rest % 10) as u8;
        count += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in digits[..count].iter().rev() {
        record[length] = digit;
        length += 1;
    }
    record[length..length + 3].copy_from_slice(b"}}\n");
    length += 3;
    use std::os::fd::FromRawFd;
    // SAFETY: the grader opened this descriptor for us; ManuallyDrop leaves it open.
    let mut channel = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(fd) });
    let _ = channel.write_all(&record[..length]);
}

/// What the probe is doing, said with a panic: set before calling the submission.
static CONTEXT: Mutex<String> = Mutex::new(String::new());

/// Says what the probe is about to ask of the submission (e.g. the shapes of the arrays it hands
/// over), so that a panic's report can say it: a shape error from ndarray names no shapes.
pub fn context(text: impl Into<String>) {
    if let Ok(mut context) = CONTEXT.lock() {
        *context = text.into();
    }
}

/// A panic, as the hook saw it.
struct PanicRecord {
    message: String,
    /// `file:line:column` of the panic itself.
    location: String,
    /// The submission's own lines on the way to it, innermost first, when it was raised elsewhere.
    frames: Vec<String>,
    /// What the innermost of those lines called.
    operation: Option<String>,
}

/// The last panic, recorded by the hook so it can be reported.
static LAST_PANIC: Mutex<Option<PanicRecord>> = Mutex::new(None);

fn run_catching_panics(
    scenario: impl FnOnce() -> Result<Observations, String> + panic::UnwindSafe,
) -> Json {
    panic::set_hook(Box::new(|info| {
        let message = if let Some(text) = info.payload().downcast_ref::<&str>() {
            (*text).to_string()
        } else if let Some(text) = info.payload().downcast_ref::<String>() {
            text.clone()
        } else {
            "panicked with a value that is not a string".to_string()
        };
        // A huge message must not flood the report: the head says what went wrong.
        let message = truncate(message, 2000);
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let submitted = submission_files();
        // Resolving a backtrace costs tens of milliseconds: not for `todo!()`, which every
        // scenario of the stub raises at the student's own line, and says all there is to say.
        let unwritten = ["not yet implemented", "not implemented"]
            .iter()
            .any(|m| message.starts_with(m));
        let (frames, operation) = if unwritten || submitted.is_empty() {
            (Vec::new(), None)
        } else {
            trace(&submitted)
        };
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(PanicRecord {
                message,
                location,
                frames,
                operation,
            });
        }
    }));
    match panic::catch_unwind(scenario) {
        Ok(Ok(observations)) => Json::object([("observations", Json::Object(observations))]),
        Ok(Err(message)) => Json::object([("error", Json::Str(message))]),
        Err(_) => {
            let record = LAST_PANIC.lock().ok().and_then(|mut last| last.take());
            let record = record.unwrap_or_else(|| PanicRecord {
                message: "panicked".to_string(),
                location: String::new(),
                frames: Vec::new(),
                operation: None,
            });
            let mut panic = BTreeMap::from([
                ("message".to_string(), Json::Str(record.message)),
                ("location".to_string(), Json::Str(record.location)),
                (
                    "frames".to_string(),
                    Json::Array(record.frames.into_iter().map(Json::Str).collect()),
                ),
            ]);
            if let Some(operation) = record.operation {
                panic.insert("operation".to_string(), Json::Str(operation));
            }
            let context = CONTEXT.lock().map(|c| c.clone()).unwrap_or_default();
            if !context.is_empty() {
                panic.insert("context".to_string(), Json::Str(context));
            }
            Json::object([("panic", Json::Object(panic))])
        }
    }
}

/// The submitted files' paths in the crate, as the grader names them in `GRADE_SUBMISSION_FILES`.
fn submission_files() -> Vec<String> {
    std::env::var("GRADE_SUBMISSION_FILES")
        .unwrap_or_default()
        .split(',')
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect()
}

/// A path from a panic location or a backtrace (relative, `./`-prefixed or absolute, depending on
/// where the binary was compiled and runs) names the crate file `relative`.
fn same_file(path: &str, relative: &str) -> bool {
    path == relative || path.ends_with(&format!("/{relative}"))
}

/// The submission's lines on the current stack, innermost first, as `file:line:column` with the
/// crate's relative path, and what the innermost of them called, in words.
fn trace(submitted: &[String]) -> (Vec<String>, Option<String>) {
    // std formats a backtrace as numbered symbol lines, each followed by an `at file:line:column`
    // line when the binary has line tables (grade compiles probes with them).
    let text = std::backtrace::Backtrace::force_capture().to_string();
    let mut stack: Vec<(String, Option<String>)> = Vec::new();
    for line in text.lines().map(str::trim_start) {
        if let Some(place) = line.strip_prefix("at ") {
            if let Some((_, location @ None)) = stack.last_mut() {
                *location = Some(place.to_string());
            }
        } else if let Some((number, symbol)) = line.split_once(": ") {
            if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
                stack.push((symbol.to_string(), None));
            }
        }
    }
    let own = |place: &str| {
        let (path, position) = split_location(place)?;
        let file = submitted.iter().find(|f| same_file(path, f))?;
        Some(format!("{file}:{position}"))
    };
    let mut frames = Vec::new();
    let mut operation = None;
    for (i, (_, place)) in stack.iter().enumerate() {
        let Some(frame) = place.as_deref().and_then(own) else {
            continue;
        };
        if frames.is_empty() && i > 0 {
            operation = Some(operation_name(&stack[i - 1].0));
        }
        frames.push(frame);
    }
    (frames, operation)
}

/// `path:line:column` → (`path`, `line:column`).
fn split_location(place: &str) -> Option<(&str, &str)> {
    let (rest, column) = place.rsplit_once(':')?;
    let (path, line) = rest.rsplit_once(':')?;
    let position = &place[path.len() + 1..];
    (line.bytes().all(|b| b.is_ascii_digit()) && column.bytes().all(|b| b.is_ascii_digit()))
        .then_some((path, position))
}

/// A function's symbol as a student knows it: `&a * &b` for ndarray's `Mul`, `dot` for
/// `ArrayBase::dot`.
fn operation_name(symbol: &str) -> String {
    const OPERATORS: [(&str, &str); 10] = [
        ("AddAssign", "+="),
        ("SubAssign", "-="),
        ("MulAssign", "*="),
        ("DivAssign", "/="),
        ("Add", "+"),
        ("Sub", "-"),
        ("Mul", "*"),
        ("Div", "/"),
        ("Neg", "unary -"),
        ("Index", "indexing [...]"),
    ];
    let arrays = symbol.contains("ndarray");
    for (name, operator) in OPERATORS {
        // `<A as core::ops::arith::Mul<B>>::mul` or `<impl core::ops::arith::Mul<B> for A>::mul`.
        let implements = ["arith", "index"].iter().any(|module| {
            let path = format!("core::ops::{module}::{name}");
            symbol.contains(&format!("{path}<")) || symbol.contains(&format!("{path} "))
        });
        if implements {
            return if arrays {
                format!("`{operator}` on arrays (element by element, with broadcasting)")
            } else {
                format!("`{operator}`")
            };
        }
    }
    // `ndarray::linalg::impl_linalg::<impl ndarray::ArrayBase<S, D>>::dot` → `dot`.
    let name = symbol
        .rsplit("::")
        .find(|part| !part.is_empty() && !part.contains(['<', '>', '{']))
        .unwrap_or(symbol);
    if arrays {
        format!("ndarray's `{name}`")
    } else {
        format!("`{name}`")
    }
}

fn truncate(mut text: String, limit: usize) -> String {
    if text.len() > limit {
        let mut cut = limit;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let elided = text.len() - cut;
        text.truncate(cut);
        text.push_str(&format!("… ({elided} more bytes)"));
    }
    text
}

/// Writes the report on the descriptor the grader named in `GRADE_OBS_FD`, never on the student's
/// stdout; on stdout only when run by hand.
fn emit(output: &Json) {
    let mut text = String::new();
    output.write(&mut text);
    text.push('\n');
    match channel_fd() {
        Some(fd) => {
            use std::os::fd::FromRawFd;
            // SAFETY: the grader opened this descriptor for us and nothing else in the probe uses it.
            let mut channel = unsafe { std::fs::File::from_raw_fd(fd) };
            let _ = channel.write_all(text.as_bytes());
        }
        None => {
            let _ = std::io::stdout().write_all(text.as_bytes());
        }
    }
}

/// Just enough JSON to report observations, so the probe needs no crate beyond the exercise's own.
pub enum Json {
    Num(f64),
    Str(String),
    Array(Vec<Json>),
    Object(BTreeMap<String, Json>),
}

impl Json {
    pub fn object<const N: usize>(entries: [(&str, Json); N]) -> Json {
        Json::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    pub fn numbers(values: &[f64]) -> Json {
        Json::Array(values.iter().map(|&v| Json::Num(v)).collect())
    }

    fn write(&self, out: &mut String) {
        match self {
            // Non-finite numbers are not JSON: they travel as strings the grader understands.
            Json::Num(v) if v.is_nan() => out.push_str("\"NaN\""),
            Json::Num(v) if v.is_infinite() => {
                out.push_str(if *v > 0.0 { "\"inf\"" } else { "\"-inf\"" })
            }
            Json::Num(v) => {
                let _ = write!(out, "{v:?}");
            }
            Json::Str(s) => {
                out.push('"');
                for c in s.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        c if (c as u32) < 0x20 => {
                            let _ = write!(out, "\\u{:04x}", c as u32);
                        }
                        c => out.push(c),
                    }
                }
                out.push('"');
            }
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    Json::Str(key.clone()).write(out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

impl From<Array2<f64>> for Json {
    fn from(array: Array2<f64>) -> Json {
        Json::Array(
            array
                .outer_iter()
                .map(|row| Json::numbers(&row.to_vec()))
                .collect(),
        )
    }
}

/// Instantiates, once, the generic ndarray operations on `f64` arrays that the given files, the
/// probe and students' code use; never called. rustc reuses these instances in every build
/// (generics are shared between crates at opt-levels 0 and 1), which shortens each compile.
#[inline(never)]
pub fn instantiate(a: &Array2<f64>, b: &Array2<f64>, row: ArrayView1<f64>, s: f64) -> f64 {
    let products = [
        a.dot(b),
        a.t().dot(b),
        a.dot(&b.t()),
        a.view().dot(&b.view()),
        a.t().dot(&b.t()),
    ];
    let mut c = &products[0] * &products[1];
    let d = &c - &products[2];
    let e = &d + &products[3];
    let f = &e / &products[4];
    let g = &f / s;
    let h = s * &g;
    let i = &h * s;
    let j = &i - s;
    let k = &j + s;
    let l = a - b;
    let m = a + b;
    let n = a * b;
    let o = a.clone() - b;
    let p = a.clone() + b;
    let q = a.clone() * b;
    let r = a.clone() / s;
    let t = a.clone() * s;
    c -= &d;
    c += &e;
    c *= &f;
    c /= &g;
    c -= s;
    c *= s;
    c.scaled_add(-s, &h);
    let mut u = Array2::<f64>::zeros(a.raw_dim());
    u.assign(&k);
    u.fill(s);
    let v = Array2::<f64>::from_elem((1, 1), s);
    let w = Array2::<f64>::from_shape_vec((1, 1), vec![s]).unwrap_or(v.clone());
    let x = row.to_owned().insert_axis(Axis(1));
    let y = x
        .clone()
        .into_shape_with_order((1, x.len()))
        .unwrap_or(w.clone());
    let mut z = Array2::<f64>::zeros((2, 2));
    Zip::from(&mut z).and(&c).for_each(|z, &c| *z = c);
    let mut total = 0.0;
    for array in [
        &c, &d, &e, &f, &g, &h, &i, &j, &k, &l, &m, &n, &o, &p, &q, &r, &t, &u, &v, &w, &x, &y, &z,
    ] {
        total += array.sum() + array.iter().sum::<f64>() + array.fold(0.0, |acc, v| acc + v);
        for row in array.outer_iter() {
            total += row.sum() + row.to_vec().len() as f64;
        }
        for position in ndarray::indices(array.raw_dim()) {
            total += array[position];
        }
        total += array.t().to_owned().sum() + array.nrows() as f64 + array.ncols() as f64;
        total += array.mapv(f64::exp).sum() + array.map(|v| v.max(0.0)).sum();
        total += array.column(0).sum() + array.row(0).sum() + array[[0, 0]];
        total += if array.dim() == a.dim() && array.shape() == b.shape() {
            1.0
        } else {
            0.0
        };
    }
    total
}
