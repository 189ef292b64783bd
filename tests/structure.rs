//! The crate's structure, read from its own source: data flows one way. Every `crate::…`,
//! `super::…` and child-module path in `src/` is resolved to the file it names, and
//! - no file imports from a module of a later stage than its own (the stages below);
//! - no two files import each other, directly or round a circle.
//!
//! Re-exports (`pub use child::…` in a folder's `mod.rs`) are the folder's face, not a
//! dependency, and are not counted. Run alone with `cargo test structure`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The stages, from the ground up. A module may use modules of its own stage or earlier ones.
const STAGES: &[&[&str]] = &[
    &[
        "error",
        "num",
        "text",
        "fingerprint",
        "rng",
        "timing",
        "progress",
        "mode",
        "ids",
        "crs",
        "index",
        "interrupt",
        "contain",
    ],
    &["model"],
    &["load", "synth"],
    &["times"],
    &["network"],
    &["reach"],
    &["catchment", "access"],
    &["measured"],
    &["scenario", "optimise"],
    &["decide"],
    &["render"],
    &["partition"],
    &["pipeline"],
    &["terminal"],
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every source file of the library, relative to src/ (lib.rs and main.rs are the faces).
fn files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p.strip_prefix(src()).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(&src(), &mut out);
    out.retain(|p| p != Path::new("lib.rs") && p != Path::new("main.rs"));
    out
}

/// The module path of a file: `scenario/file.rs` → [scenario, file]; `scenario/mod.rs` →
/// [scenario].
fn module_of(file: &Path) -> Vec<String> {
    let mut parts: Vec<String> = file
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts
}

/// Names a folder's mod.rs re-exports from its children: (folder's mod.rs, name) → child file.
type Reexports = BTreeMap<(PathBuf, String), PathBuf>;

/// The file holding the module at `path` or, failing that, its nearest ancestor; a name that
/// ancestor re-exports from a child is the child's.
fn file_of(path: &[String], known: &BTreeSet<PathBuf>, reexports: &Reexports) -> Option<PathBuf> {
    for n in (1..=path.len()).rev() {
        let base: PathBuf = path[..n].iter().collect();
        for candidate in [base.with_extension("rs"), base.join("mod.rs")] {
            if known.contains(&candidate) {
                if let Some(next) = path.get(n) {
                    if let Some(child) = reexports.get(&(candidate.clone(), next.clone())) {
                        return Some(child.clone());
                    }
                }
                return Some(candidate);
            }
        }
    }
    None
}

/// Every `pub use child::…` of every mod.rs.
fn reexports(files: &[PathBuf]) -> Reexports {
    let mut out = Reexports::new();
    for f in files.iter().filter(|f| f.ends_with("mod.rs")) {
        let text = code(&std::fs::read_to_string(src().join(f)).unwrap());
        let dir = f.parent().unwrap();
        for stmt in text.split(';') {
            let stmt = stmt.trim();
            let Some(rest) = stmt.strip_prefix("pub use ") else {
                continue;
            };
            let Some((child, names)) = rest.split_once("::") else {
                continue;
            };
            let file = [
                dir.join(format!("{child}.rs")),
                dir.join(child).join("mod.rs"),
            ]
            .into_iter()
            .find(|c| files.contains(c));
            let Some(file) = file else { continue };
            for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
                let name = name.trim().rsplit("::").next().unwrap_or("").trim();
                if !name.is_empty() {
                    out.insert((f.clone(), name.to_string()), file.clone());
                }
            }
        }
    }
    out
}

/// The code of a file without comments, string literals and `#[cfg(test)]` modules.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::new();
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut in_str = false;
        for c in line.chars() {
            if c == '"' {
                in_str = !in_str;
            } else if !in_str {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

/// The modules a file's code names: `crate::a::b`, `super::x`, and (in a folder's mod.rs)
/// `child::x`, each as a module path. Re-exports of a folder's own children are left out.
fn named_modules(file: &Path, text: &str, children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let me = module_of(file);
    let is_mod = file.ends_with("mod.rs");
    let parent: Vec<String> = if is_mod {
        me.clone()
    } else {
        me[..me.len() - 1].to_vec()
    };
    let mut out = Vec::new();
    for line in code(text).lines() {
        let reexport = line.trim_start().starts_with("pub use ")
            || line.trim_start().starts_with("pub(crate) use ");
        let words: Vec<&str> = line
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .filter(|w| w.contains("::"))
            .collect();
        for w in words {
            let segs: Vec<String> = w
                .split("::")
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            let Some(first) = segs.first() else { continue };
            let path = match first.as_str() {
                "crate" => segs[1..].to_vec(),
                "super" => {
                    // In a folder's mod.rs, `super` is the folder's parent.
                    let base = if is_mod {
                        &me[..me.len() - 1]
                    } else {
                        &parent[..]
                    };
                    [base.to_vec(), segs[1..].to_vec()].concat()
                }
                child if is_mod && children.contains(child) => {
                    if reexport {
                        continue;
                    }
                    [me.clone(), segs.clone()].concat()
                }
                _ => continue,
            };
            out.push(path);
        }
    }
    out
}

fn stage_of(top: &str) -> Option<usize> {
    STAGES.iter().position(|s| s.contains(&top))
}

/// The import graph of src/: file → files it names.
fn graph() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let files = files();
    let known: BTreeSet<PathBuf> = files.iter().cloned().collect();
    let reexported = reexports(&files);
    let mut g = BTreeMap::new();
    for f in &files {
        let text = std::fs::read_to_string(src().join(f)).unwrap();
        let dir = f.parent().unwrap_or(Path::new(""));
        let children: BTreeSet<String> = files
            .iter()
            .filter(|o| o.parent() == Some(dir) && *o != f)
            .map(|o| o.file_stem().unwrap().to_string_lossy().to_string())
            .chain(
                files
                    .iter()
                    .filter(|o| {
                        o.parent().and_then(Path::parent) == Some(dir) && o.ends_with("mod.rs")
                    })
                    .map(|o| {
                        o.parent()
                            .unwrap()
                            .file_name()
                            .unwrap()
                            .to_string_lossy()
                            .to_string()
                    }),
            )
            .collect();
        let children = if f.ends_with("mod.rs") {
            children
        } else {
            BTreeSet::new()
        };
        let mut to = BTreeSet::new();
        for m in named_modules(f, &text, &children) {
            if let Some(t) = file_of(&m, &known, &reexported) {
                if &t != f {
                    to.insert(t);
                }
            }
        }
        g.insert(f.clone(), to);
    }
    g
}

#[test]
fn every_module_has_a_stage() {
    for f in files() {
        let top = &module_of(&f)[0];
        assert!(
            stage_of(top).is_some(),
            "src/{}: module `{top}` is in no stage of tests/structure.rs: give it one",
            f.display()
        );
    }
}

#[test]
fn no_module_imports_from_a_later_stage() {
    let g = graph();
    assert!(g.len() > 50, "the graph was read ({} files)", g.len());
    let mut wrong = Vec::new();
    for (f, to) in &g {
        let from = stage_of(&module_of(f)[0]).unwrap_or(usize::MAX);
        for t in to {
            let stage = stage_of(&module_of(t)[0]).unwrap_or(0);
            if stage > from {
                wrong.push(format!("src/{} -> src/{}", f.display(), t.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports from a later stage:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_import_circle() {
    let g = graph();
    // Depth-first search for a back edge; report the circle found.
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let mut state: BTreeMap<&PathBuf, State> = g.keys().map(|k| (k, State::New)).collect();
    fn visit<'a>(
        f: &'a PathBuf,
        g: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        state: &mut BTreeMap<&'a PathBuf, State>,
        path: &mut Vec<&'a PathBuf>,
    ) -> Option<Vec<String>> {
        state.insert(f, State::Open);
        path.push(f);
        for t in &g[f] {
            match state[t] {
                State::Open => {
                    let i = path.iter().position(|p| *p == t).unwrap();
                    let mut c: Vec<String> = path[i..]
                        .iter()
                        .map(|p| format!("src/{}", p.display()))
                        .collect();
                    c.push(format!("src/{}", t.display()));
                    return Some(c);
                }
                State::New => {
                    if let Some(c) = visit(t, g, state, path) {
                        return Some(c);
                    }
                }
                State::Done => {}
            }
        }
        path.pop();
        state.insert(f, State::Done);
        None
    }
    for f in g.keys() {
        if state[f] == State::New {
            if let Some(c) = visit(f, &g, &mut state, &mut Vec::new()) {
                panic!("import circle: {}", c.join(" -> "));
            }
        }
    }
}

#[test]
fn the_checks_see_an_import_and_a_circle() {
    // The reader itself: a `use crate::a::b` line and a `super::` path are seen.
    let known: BTreeSet<PathBuf> = ["a/b.rs", "a/mod.rs", "c.rs"]
        .iter()
        .map(PathBuf::from)
        .collect();
    let named = named_modules(
        Path::new("a/b.rs"),
        "use crate::c::X;\nfn f() { super::g(); } // crate::ignored\nlet s = \"crate::nor_this\";\n",
        &BTreeSet::new(),
    );
    let files: Vec<PathBuf> = named
        .iter()
        .filter_map(|m| file_of(m, &known, &Reexports::new()))
        .collect();
    assert_eq!(files, [PathBuf::from("c.rs"), PathBuf::from("a/mod.rs")]);
}

#[test]
fn no_source_file_is_over_700_lines() {
    for f in files()
        .into_iter()
        .chain([PathBuf::from("lib.rs"), PathBuf::from("main.rs")])
    {
        let n = std::fs::read_to_string(src().join(&f))
            .unwrap()
            .lines()
            .count();
        assert!(n <= 700, "src/{} has {n} lines", f.display());
    }
}
