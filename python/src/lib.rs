//! `whosaid._whosaid`: the Rust side of the Python package. The Python wrapper
//! (`whosaid/__init__.py`) turns the JSON it returns into dicts, so the Python
//! output is exactly `whosaid::json::DocumentJson`, the binary's contract.
//!
//! Written without PyO3's proc macros (`#[pymodule]`, `#[pyclass]`): they enable a
//! feature of `syn` that changes the build of every derive crate (serde,
//! thiserror, ...) and so of candle and tokenizers; without them the wheel reuses
//! the dependency builds of `cargo build --release` in a shared target dir.
//! The module holds functions made from closures (`PyCFunction::new_closure`):
//! `load` returns the analysis functions of one loaded pipeline.

use std::cell::UnsafeCell;
use std::path::PathBuf;
use std::sync::Arc;

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyCFunction, PyDict, PyModule, PyString, PyTuple};
use whosaid::json::DocumentJson;

create_exception!(
    whosaid,
    WhosaidError,
    PyException,
    "An error from whosaid (a missing or bad model file, a model runtime failure); \
     the message is the Rust error's."
);

fn to_py(e: whosaid::Error) -> PyErr {
    WhosaidError::new_err(e.to_string())
}

type Kwargs<'a, 'py> = Option<&'a Bound<'py, PyDict>>;

/// What `load` gives back: the two analysis functions, whether the tagger is used and
/// the precision the model runs in.
type Loaded = (Py<PyCFunction>, Py<PyCFunction>, bool, &'static str);

/// `load(model_dir, rules_only, precision) -> (analyze_json, analyze_batch_json, learned,
/// precision)`: the model is read once, here; the two functions share it (`Pipeline` is
/// `Send + Sync`, so Python threads may call them at once with the GIL released).
/// `precision` is `None` (the default: int8 where the CPU has VNNI), `"f32"` or `"int8"`.
fn load(args: &Bound<'_, PyTuple>, _: Kwargs) -> PyResult<Loaded> {
    let py = args.py();
    let (model_dir, rules_only, precision): (PathBuf, bool, Option<String>) = args.extract()?;
    let precision = match precision.as_deref() {
        None => None,
        Some("f32") => Some(whosaid::Precision::F32),
        Some("int8") => Some(whosaid::Precision::Int8),
        Some(other) => {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "precision must be \"f32\" or \"int8\", not {other:?}"
            )))
        }
    };
    // (loading reads ~67 MB: other Python threads run meanwhile)
    let mut pipeline = py.detach(|| whosaid::Pipeline::load(&model_dir)).map_err(to_py)?;
    pipeline.set_learned_attribution(!rules_only);
    if let Some(p) = precision {
        pipeline.set_precision(p);
    }
    let learned = pipeline.uses_learned_attribution();
    let running = pipeline.precision().name();
    let pipeline = Arc::new(pipeline);
    let shared = Arc::clone(&pipeline);
    let one = PyCFunction::new_closure(
        py,
        Some(c"analyze_json"),
        Some(c"analyze_json(text) -> str: one document as JSON; an error raises WhosaidError."),
        move |args: &Bound<'_, PyTuple>, _: Kwargs| analyze_json(&shared, args),
    )?;
    let many = PyCFunction::new_closure(
        py,
        Some(c"analyze_batch_json"),
        Some(c"analyze_batch_json(texts) -> str: a JSON array, one object per text."),
        move |args: &Bound<'_, PyTuple>, _: Kwargs| analyze_batch_json(&pipeline, args),
    )?;
    Ok((one.unbind(), many.unbind(), learned, running))
}

/// One document as the JSON of `whosaid::json::DocumentJson`; an error raises.
fn analyze_json(pipeline: &whosaid::Pipeline, args: &Bound<'_, PyTuple>) -> PyResult<String> {
    let (text,): (String,) = args.extract()?;
    args.py()
        .detach(|| {
            let analysis = pipeline.analyze(&text)?;
            Ok(json(&DocumentJson::from_analysis(&analysis, None)))
        })
        .map_err(to_py)
}

/// Many documents in shared model batches (`Pipeline::analyze_each`), as one JSON
/// array with one object per text, in order. A document that fails (or a `str`
/// that is not valid Unicode: a lone surrogate) is an object with its `error`
/// message and empty lists; the others are analysed. A non-`str` raises TypeError.
fn analyze_batch_json(pipeline: &whosaid::Pipeline, args: &Bound<'_, PyTuple>) -> PyResult<String> {
    let (texts,): (Vec<Bound<'_, PyAny>>,) = args.extract()?;
    let mut owned: Vec<Result<String, String>> = Vec::with_capacity(texts.len());
    for t in &texts {
        if !t.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(format!(
                "analyze_batch: texts must be str, got {}",
                t.get_type().name()?
            )));
        }
        owned.push(t.extract::<String>().map_err(|e| e.to_string()));
    }
    Ok(args.py().detach(|| {
        let ok: Vec<&str> = owned.iter().filter_map(|t| t.as_deref().ok()).collect();
        let mut results = pipeline.analyze_each(&ok).into_iter();
        // (each record as serde writes it alone: a `serde_json::Value` would print
        // f32 scores as f64 and sort the keys)
        let records: Vec<String> = owned
            .iter()
            .map(|t| match t {
                Err(message) => error_record(message),
                Ok(_) => match results.next() {
                    Some(Ok(analysis)) => json(&DocumentJson::from_analysis(&analysis, None)),
                    Some(Err(e)) => error_record(&e.to_string()),
                    None => error_record("internal error: no result for this document"),
                },
            })
            .collect();
        format!("[{}]", records.join(","))
    }))
}

fn json<T: serde::Serialize>(v: &T) -> String {
    // (our own types always serialize)
    serde_json::to_string(v).unwrap_or_else(|e| error_record(&format!("serialize: {e}")))
}

fn error_record(message: &str) -> String {
    serde_json::json!({"error": message, "entities": [], "speakers": [], "quotes": []}).to_string()
}

/// The module's attributes.
fn fill(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("WhosaidError", py.get_type::<WhosaidError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The `models/` directory compiled into this build (the source tree's), used
    // when the wheel carries no model of its own.
    m.add(
        "compiled_model_dir",
        whosaid::ner::bundled_model_dir().to_string_lossy().into_owned(),
    )?;
    let f = PyCFunction::new_closure(
        py,
        Some(c"load"),
        Some(c"load(model_dir, rules_only, precision) -> (analyze_json, analyze_batch_json, learned_attribution, precision)"),
        load,
    )?;
    m.add("load", f)?;
    Ok(())
}

/// The module definition CPython keeps for the module's lifetime.
struct ModuleDef(UnsafeCell<ffi::PyModuleDef>);
// SAFETY: CPython reads and writes it only during import, under the GIL.
unsafe impl Sync for ModuleDef {}

static MODULE_DEF: ModuleDef = ModuleDef(UnsafeCell::new(ffi::PyModuleDef {
    m_base: ffi::PyModuleDef_HEAD_INIT,
    m_name: c"whosaid._whosaid".as_ptr(),
    m_doc: c"The Rust extension of whosaid; use the `whosaid` package.".as_ptr(),
    // (single-phase init, no per-module state)
    m_size: -1,
    m_methods: std::ptr::null_mut(),
    m_slots: std::ptr::null_mut(),
    m_traverse: None,
    m_clear: None,
    m_free: None,
}));

/// The module's entry point, called by CPython's import with the GIL held.
///
/// # Safety
/// Called by the interpreter only, once per import.
#[no_mangle]
pub unsafe extern "C" fn PyInit__whosaid() -> *mut ffi::PyObject {
    // SAFETY: the definition is static and valid; CPython holds the GIL here.
    let module = unsafe { ffi::PyModule_Create(MODULE_DEF.0.get()) };
    if module.is_null() {
        return module;
    }
    Python::attach(|py| {
        // SAFETY: `module` is a new, non-null reference to a module object.
        let m = unsafe { Bound::from_owned_ptr(py, module).cast_into_unchecked::<PyModule>() };
        match fill(&m) {
            Ok(()) => m.into_ptr(),
            Err(e) => {
                e.restore(py);
                std::ptr::null_mut()
            }
        }
    })
}
