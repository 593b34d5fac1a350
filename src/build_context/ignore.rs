//! `.dockerignore` rules with the semantics of the docker CLI (moby/patternmatcher and its
//! `ignorefile` reader), matched without backtracking: a pattern is simulated as a set of
//! positions over the path, so one match costs O(pattern length × path length) at worst.
//!
//! Where moby's behaviour comes from Go's regexp engine rather than from `filepath.Match`, this
//! follows `filepath.Match`: `\c` is always the character `c` (moby passes `\d`, `\w`, ... to
//! the regexp engine), `*`, `?` and `[` inside `[...]` are themselves (moby turns them into
//! regexp syntax there), and `^` outside a class is a character (moby leaves it an anchor).

use crate::error::{Error, Result};

/// `.dockerignore` rules, as the docker CLI applies them: later lines win, `!` re-includes,
/// a pattern that matches a directory excludes everything below it, `**` spans directories.
#[derive(Debug, Clone, Default)]
pub struct DockerIgnore {
    rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
struct Rule {
    /// The cleaned pattern, without its `!`.
    text: String,
    /// A `!` rule: what it matches is sent after all.
    reinclude: bool,
    matcher: Matcher,
}

/// moby's four kinds of pattern: the kind decides how the pattern matches, and two of them
/// (prefix, suffix) do not match as the equivalent regular expression would: `**file`
/// matches `xfile`, as a suffix.
#[derive(Debug, Clone)]
enum Matcher {
    Exact,
    Prefix(String),
    Suffix(String),
    Tokens(Vec<Token>),
}

#[derive(Debug, Clone)]
enum Token {
    Char(char),
    /// `?`: one character other than `/`.
    AnyChar,
    /// `*`: any characters other than `/`.
    Star,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    /// `**` or `**/` before more pattern: nothing, or anything (newlines aside) ending in `/`.
    AnyDirs,
    /// `**` at the end: anything but a newline.
    AnyTail,
}

impl DockerIgnore {
    /// Parses the contents of a `.dockerignore` file. A malformed pattern (`[` unclosed, a
    /// trailing `\`, a lone `!`) matches nothing; [`DockerIgnore::try_parse`] reports it, as the
    /// docker CLI does.
    pub fn parse(text: &str) -> DockerIgnore {
        let rules = patterns(text).filter_map(|(_, p)| Rule::new(&p).ok()).collect();
        DockerIgnore { rules }
    }

    /// Parses the contents of a `.dockerignore` file, failing on the first malformed pattern
    /// with its line number.
    pub fn try_parse(text: &str) -> Result<DockerIgnore> {
        let rules = patterns(text)
            .map(|(line, p)| {
                Rule::new(&p).map_err(|why| Error::Config(format!(".dockerignore line {line}: `{p}`: {why}")))
            })
            .collect::<Result<_>>()?;
        Ok(DockerIgnore { rules })
    }

    /// Whether `path` (relative to the context, `/`-separated, as [`super::context_files`] walks
    /// it) is left out of the context: the last rule that matches it or one of its parent
    /// directories decides (moby's `MatchesOrParentMatches`).
    pub fn excludes(&self, path: &str) -> bool {
        self.evaluate(path, true)
    }

    fn evaluate(&self, path: &str, parents: bool) -> bool {
        let mut excluded = false;
        for rule in &self.rules {
            // A rule that cannot change the outcome is not evaluated, as moby does.
            if rule.reinclude == excluded && rule.matches(path, parents) {
                excluded = !rule.reinclude;
            }
        }
        excluded
    }

    /// Whether a `!` rule names something below the excluded directory `dir`: the CLI walks
    /// into an excluded directory only then (a `!**/x` does not re-include `dir/x`).
    pub(super) fn may_reinclude_below(&self, dir: &str) -> bool {
        self.rules.iter().any(|r| {
            r.reinclude
                && r.text
                    .strip_prefix(dir)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }
}

/// The patterns of a `.dockerignore` with their line numbers, as moby's `ignorefile.ReadAll`
/// reads them: a leading BOM dropped, `#` lines are comments (only in the first column), blank
/// lines skipped, each pattern trimmed and cleaned, a leading `/` dropped.
fn patterns(text: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines().enumerate().filter_map(|(i, line)| {
        if line.starts_with('#') {
            return None;
        }
        let line = line.trim();
        if line.is_empty() {
            return None;
        }
        let (bang, p) = match line.strip_prefix('!') {
            Some(p) => ("!", p.trim()),
            None => ("", line),
        };
        let mut p = if p.is_empty() { String::new() } else { clean(p) };
        if p.len() > 1 && p.starts_with('/') {
            p.remove(0);
        }
        Some((i + 1, format!("{bang}{p}")))
    })
}

/// Go's `filepath.Clean` on a Unix path.
fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if rooted => {}
            part => parts.push(part),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

impl Rule {
    /// One pattern as moby's `patternmatcher.New` takes it: trimmed, cleaned, `!` split off.
    fn new(pattern: &str) -> std::result::Result<Rule, String> {
        let text = clean(pattern.trim());
        let (reinclude, text) = match text.strip_prefix('!') {
            Some("") => return Err("a lone `!` re-includes nothing".to_string()),
            Some(rest) => (true, rest.to_string()),
            None => (false, text),
        };
        let matcher = compile(&text)?;
        Ok(Rule {
            text,
            reinclude,
            matcher,
        })
    }

    fn matches(&self, path: &str, parents: bool) -> bool {
        // The path itself, then (moby checks them too) each parent directory: the prefixes
        // that end before a `/`.
        let mut candidates = path
            .match_indices('/')
            .map(|(i, _)| &path[..i])
            .filter(|_| parents)
            .chain(std::iter::once(path));
        match &self.matcher {
            Matcher::Exact => candidates.any(|c| c == self.text),
            Matcher::Prefix(prefix) => candidates.any(|c| c.starts_with(prefix.as_str())),
            Matcher::Suffix(suffix) => candidates
                .any(|c| c.ends_with(suffix.as_str()) || suffix.strip_prefix('/').is_some_and(|s| s == c)),
            Matcher::Tokens(tokens) => run(tokens, path, parents),
        }
    }
}

/// Reads a cleaned pattern into moby's kind of match and, for a regular expression, its
/// tokens. An error is what Go's `filepath.Match` rejects, or a class range moby's regexp
/// compiler rejects (`[z-a]`).
fn compile(pattern: &str) -> std::result::Result<Matcher, String> {
    #[derive(PartialEq)]
    enum Kind {
        Exact,
        Prefix,
        Suffix,
        Tokens,
    }
    let mut kind = Kind::Exact;
    let mut tokens = Vec::new();
    let mut chars = pattern.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                if chars.peek() == Some(&'/') {
                    chars.next();
                }
                if chars.peek().is_some() {
                    tokens.push(Token::AnyDirs);
                    kind = Kind::Tokens;
                } else if kind == Kind::Exact {
                    kind = Kind::Prefix;
                } else {
                    tokens.push(Token::AnyTail);
                    kind = Kind::Tokens;
                }
                if first {
                    kind = Kind::Suffix;
                }
            }
            '*' => {
                tokens.push(Token::Star);
                kind = Kind::Tokens;
            }
            '?' => {
                tokens.push(Token::AnyChar);
                kind = Kind::Tokens;
            }
            '\\' => {
                let escaped = chars.next().ok_or("the pattern ends in an escaping `\\`")?;
                tokens.push(Token::Char(escaped));
                kind = Kind::Tokens;
            }
            '[' => {
                tokens.push(class(&mut chars)?);
                kind = Kind::Tokens;
            }
            ']' => {
                tokens.push(Token::Char(']'));
                kind = Kind::Tokens;
            }
            c => tokens.push(Token::Char(c)),
        }
        first = false;
    }
    Ok(match kind {
        Kind::Exact => Matcher::Exact,
        // Both end or start with the two ASCII bytes of `**`.
        Kind::Prefix => Matcher::Prefix(pattern[..pattern.len() - 2].to_string()),
        Kind::Suffix => Matcher::Suffix(pattern[2..].to_string()),
        Kind::Tokens => Matcher::Tokens(tokens),
    })
}

/// A `[...]` class after its `[`: `^` negates, `lo-hi` ranges, `\` escapes; an unescaped `-` or
/// `]` cannot be an item, and a class has at least one.
fn class(chars: &mut std::iter::Peekable<std::str::Chars>) -> std::result::Result<Token, String> {
    let negated = chars.next_if_eq(&'^').is_some();
    let mut ranges = Vec::new();
    let item = |chars: &mut std::iter::Peekable<std::str::Chars>| match chars.next() {
        Some('\\') => chars.next().ok_or("unclosed `[`"),
        Some('-' | ']') => Err("a `-` or `]` where a class item belongs (escape it)"),
        Some(c) => Ok(c),
        None => Err("unclosed `[`"),
    };
    loop {
        if !ranges.is_empty() && chars.next_if_eq(&']').is_some() {
            return Ok(Token::Class { negated, ranges });
        }
        let lo = item(chars)?;
        let hi = match chars.next_if_eq(&'-') {
            Some(_) => item(chars)?,
            None => lo,
        };
        if hi < lo {
            return Err(format!("the class range `{lo}-{hi}` is reversed"));
        }
        ranges.push((lo, hi));
    }
}

/// Simulates `tokens` over `path` as a set of positions: whether the whole path matches, or
/// (with `parents`) one of the prefixes that end before a `/`.
fn run(tokens: &[Token], path: &str, parents: bool) -> bool {
    let n = tokens.len();
    // `at[p]`: tokens before `p` matched; `inside[p]`: within the `.*/` of an `AnyDirs` at `p`,
    // which must still end with a `/` (so, unlike `at[p]`, it does not skip the token).
    let (mut at, mut next_at) = (vec![false; n + 1], vec![false; n + 1]);
    let (mut inside, mut next_inside) = (vec![false; n], vec![false; n]);
    at[0] = true;
    skip_empty(tokens, &mut at);
    for c in path.chars() {
        if parents && c == '/' && at[n] {
            return true;
        }
        next_at.fill(false);
        next_inside.fill(false);
        for (p, token) in tokens.iter().enumerate() {
            if !at[p] && !inside[p] {
                continue;
            }
            match token {
                Token::Char(x) => next_at[p + 1] |= at[p] && c == *x,
                Token::AnyChar => next_at[p + 1] |= at[p] && c != '/',
                Token::Class { negated, ranges } => {
                    let hit = ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated;
                    next_at[p + 1] |= at[p] && hit;
                }
                Token::Star => next_at[p] |= at[p] && c != '/',
                Token::AnyDirs => {
                    next_inside[p] |= c != '\n';
                    next_at[p + 1] |= c == '/';
                }
                Token::AnyTail => next_at[p] |= at[p] && c != '\n',
            }
        }
        skip_empty(tokens, &mut next_at);
        std::mem::swap(&mut at, &mut next_at);
        std::mem::swap(&mut inside, &mut next_inside);
        if !at.contains(&true) && !inside.contains(&true) {
            return false;
        }
    }
    at[n]
}

/// Adds the positions reached by matching tokens that may match nothing (in order: each only
/// moves forward).
fn skip_empty(tokens: &[Token], at: &mut [bool]) {
    for (p, token) in tokens.iter().enumerate() {
        if at[p] && matches!(token, Token::Star | Token::AnyDirs | Token::AnyTail) {
            at[p + 1] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How a case of moby's `TestMatches` matches.
    #[derive(Clone, Copy, PartialEq, Debug)]
    enum Pass {
        Fail,
        Exact,
        /// Only through a parent directory.
        Inexact,
    }
    use Pass::*;

    /// moby/patternmatcher `TestMatches`: `tests`, with the non-Windows additions (the Windows
    /// one, `a\\` against `a\` with `\` as separator, does not apply).
    const MATCHES: &[(&str, &str, Pass)] = &[
        ("**", "file", Exact),
        ("**", "file/", Exact),
        ("**/", "file", Exact),
        ("**/", "file/", Exact),
        ("**", "/", Exact),
        ("**/", "/", Exact),
        ("**", "dir/file", Exact),
        ("**/", "dir/file", Exact),
        ("**", "dir/file/", Exact),
        ("**/", "dir/file/", Exact),
        ("**/**", "dir/file", Exact),
        ("**/**", "dir/file/", Exact),
        ("dir/**", "dir/file", Exact),
        ("dir/**", "dir/file/", Exact),
        ("dir/**", "dir/dir2/file", Exact),
        ("dir/**", "dir/dir2/file/", Exact),
        ("**/dir", "dir", Exact),
        ("**/dir", "dir/file", Inexact),
        ("**/dir2/*", "dir/dir2/file", Exact),
        ("**/dir2/*", "dir/dir2/file/", Inexact),
        ("**/dir2/**", "dir/dir2/dir3/file", Exact),
        ("**/dir2/**", "dir/dir2/dir3/file/", Exact),
        ("**file", "file", Exact),
        ("**file", "dir/file", Exact),
        ("**/file", "dir/file", Exact),
        ("**file", "dir/dir/file", Exact),
        ("**/file", "dir/dir/file", Exact),
        ("**/file*", "dir/dir/file", Exact),
        ("**/file*", "dir/dir/file.txt", Exact),
        ("**/file*txt", "dir/dir/file.txt", Exact),
        ("**/file*.txt", "dir/dir/file.txt", Exact),
        ("**/file*.txt*", "dir/dir/file.txt", Exact),
        ("**/**/*.txt", "dir/dir/file.txt", Exact),
        ("**/**/*.txt2", "dir/dir/file.txt", Fail),
        ("**/*.txt", "file.txt", Exact),
        ("**/**/*.txt", "file.txt", Exact),
        ("a**/*.txt", "a/file.txt", Exact),
        ("a**/*.txt", "a/dir/file.txt", Exact),
        ("a**/*.txt", "a/dir/dir/file.txt", Exact),
        ("a/*.txt", "a/dir/file.txt", Fail),
        ("a/*.txt", "a/file.txt", Exact),
        ("a/*.txt**", "a/file.txt", Exact),
        ("a[b-d]e", "ae", Fail),
        ("a[b-d]e", "ace", Exact),
        ("a[b-d]e", "aae", Fail),
        ("a[^b-d]e", "aze", Exact),
        (".*", ".foo", Exact),
        (".*", "foo", Fail),
        ("abc.def", "abcdef", Fail),
        ("abc.def", "abc.def", Exact),
        ("abc.def", "abcZdef", Fail),
        ("abc?def", "abcZdef", Exact),
        ("abc?def", "abcdef", Fail),
        ("**/foo/bar", "foo/bar", Exact),
        ("**/foo/bar", "dir/foo/bar", Exact),
        ("**/foo/bar", "dir/dir2/foo/bar", Exact),
        ("abc/**", "abc", Fail),
        ("abc/**", "abc/def", Exact),
        ("abc/**", "abc/def/ghi", Exact),
        ("**/.foo", ".foo", Exact),
        ("**/.foo", "bar.foo", Fail),
        ("a(b)c/def", "a(b)c/def", Exact),
        ("a(b)c/def", "a(b)c/xyz", Fail),
        ("a.|)$(}+{bc", "a.|)$(}+{bc", Exact),
        (
            "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
            "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
            Exact,
        ),
        (
            "dist/*.whl",
            "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
            Exact,
        ),
        (r"a\\", r"a\", Exact),
        (r"a\*b", "a*b", Exact),
    ];

    /// moby/patternmatcher `TestMatches`: `multiPatternTests`.
    const MULTI: &[(&[&str], &str, Pass)] = &[
        (&["**", "!util/docker/web"], "util/docker/web/foo", Fail),
        (
            &["**", "!util/docker/web", "util/docker/web/foo"],
            "util/docker/web/foo",
            Exact,
        ),
        (
            &["**", "!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"],
            "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
            Fail,
        ),
        (
            &["**", "!dist/*.whl"],
            "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
            Fail,
        ),
    ];

    /// moby/patternmatcher `matchTests` (Go's own `filepath.Match` cases, through moby's
    /// `Matches`): pattern, path, match, whether the pattern is malformed (`ErrBadPattern`).
    const FILEPATH_MATCH: &[(&str, &str, bool, bool)] = &[
        ("abc", "abc", true, false),
        ("*", "abc", true, false),
        ("*c", "abc", true, false),
        ("a*", "a", true, false),
        ("a*", "abc", true, false),
        ("a*", "ab/c", true, false),
        ("a*/b", "abc/b", true, false),
        ("a*/b", "a/c/b", false, false),
        ("a*b*c*d*e*/f", "axbxcxdxe/f", true, false),
        ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true, false),
        ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false, false),
        ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false, false),
        ("a*b?c*x", "abxbbxdbxebxczzx", true, false),
        ("a*b?c*x", "abxbbxdbxebxczzy", false, false),
        ("ab[c]", "abc", true, false),
        ("ab[b-d]", "abc", true, false),
        ("ab[e-g]", "abc", false, false),
        ("ab[^c]", "abc", false, false),
        ("ab[^b-d]", "abc", false, false),
        ("ab[^e-g]", "abc", true, false),
        (r"a\*b", "a*b", true, false),
        (r"a\*b", "ab", false, false),
        ("a?b", "a☺b", true, false),
        ("a[^a]b", "a☺b", true, false),
        ("a???b", "a☺b", false, false),
        ("a[^a][^a][^a]b", "a☺b", false, false),
        ("[a-ζ]*", "α", true, false),
        ("*[a-ζ]", "A", false, false),
        ("a?b", "a/b", false, false),
        ("a*b", "a/b", false, false),
        (r"[\]a]", "]", true, false),
        (r"[\-]", "-", true, false),
        (r"[x\-]", "x", true, false),
        (r"[x\-]", "-", true, false),
        (r"[x\-]", "z", false, false),
        (r"[\-x]", "x", true, false),
        (r"[\-x]", "-", true, false),
        (r"[\-x]", "a", false, false),
        ("[]a]", "]", false, true),
        ("[-]", "-", false, true),
        ("[x-]", "x", false, true),
        ("[x-]", "-", false, true),
        ("[x-]", "z", false, true),
        ("[-x]", "x", false, true),
        ("[-x]", "-", false, true),
        ("[-x]", "a", false, true),
        (r"\", "a", false, true),
        ("[a-b-c]", "a", false, true),
        ("[", "a", false, true),
        ("[^", "a", false, true),
        ("[^bc", "a", false, true),
        ("a[", "a", false, true),
        ("a[", "ab", false, true),
        ("*x", "xxx", true, false),
    ];

    fn rules(patterns: &[&str]) -> DockerIgnore {
        DockerIgnore::try_parse(&patterns.join("\n")).unwrap_or_else(|e| panic!("{patterns:?}: {e}"))
    }

    #[test]
    fn moby_test_matches() {
        for (pattern, path, pass) in MATCHES {
            let ignore = rules(&[pattern]);
            // `MatchesExact`, then `MatchesOrParentMatches` (and `MatchesUsingParentResults`,
            // which expects the same).
            assert_eq!(
                ignore.evaluate(path, false),
                *pass == Exact,
                "exact: {pattern:?} {path:?}"
            );
            assert_eq!(ignore.excludes(path), *pass != Fail, "{pattern:?} {path:?}");
        }
        for (patterns, path, pass) in MULTI {
            assert_eq!(
                rules(patterns).excludes(path),
                *pass != Fail,
                "{patterns:?} {path:?}"
            );
        }
    }

    /// Malformed patterns: moby's `New` fails on them (the CLI refuses the build); `try_parse`
    /// fails the same way, `parse` keeps them as matching nothing.
    #[test]
    fn moby_filepath_match_cases() {
        for (pattern, path, matched, malformed) in FILEPATH_MATCH {
            match DockerIgnore::try_parse(pattern) {
                Ok(ignore) => {
                    assert!(!malformed, "{pattern:?} was accepted");
                    assert_eq!(ignore.excludes(path), *matched, "{pattern:?} {path:?}");
                }
                Err(e) => {
                    assert!(malformed, "{pattern:?}: {e}");
                    assert!(!DockerIgnore::parse(pattern).excludes(path), "{pattern:?}");
                }
            }
        }
    }

    /// The other tests of moby's patternmatcher_test.go.
    #[test]
    fn moby_single_tests() {
        let excludes = |patterns: &[&str], path| rules(patterns).excludes(path);
        assert!(excludes(&["*"], "fileutils.go"));
        assert!(excludes(&["*.go"], "fileutils.go"));
        assert!(excludes(&["!fileutils.go", "*.go"], "fileutils.go"));
        assert!(!excludes(&["docs", "!docs/README.md"], "docs/README.md"));
        assert!(!excludes(&["docs/", "!docs/README.md"], "docs/README.md"));
        assert!(!excludes(&["docs/*", "!docs/README.md"], "docs/README.md"));
        assert!(!excludes(&["*.go", "!fileutils.go"], "fileutils.go"));
        assert!(!excludes(&["*.go"], "."));
        assert!(!excludes(&[], "/any/path/there"));
        // `TestSingleExclamationError`, `TestCleanPatternsErrorSingleException`.
        assert!(DockerIgnore::try_parse("!").is_err());
        assert!(DockerIgnore::parse("!").rules.is_empty());
        // `TestMatchesWithMalformedPatterns`.
        assert!(DockerIgnore::try_parse("[").is_err());
        assert!(!DockerIgnore::parse("[").excludes("/any/path/there"));
        // `TestCleanPatterns*`: empty patterns dropped, `!` seen through spaces.
        assert_eq!(rules(&["docs", "config"]).rules.len(), 2);
        assert_eq!(rules(&["docs", "config", ""]).rules.len(), 2);
        for patterns in [
            &["docs", "!docs/README.md"],
            &["docs", "  !docs/README.md"],
            &["docs", "!docs/README.md  "],
        ] {
            assert!(rules(patterns).rules.iter().any(|r| r.reinclude), "{patterns:?}");
        }
        // `TestMatchesOrParentMatchesMalformedPatternDoesNotPanicOnRepeatedCall`: moby accepts
        // `[Local-Only]/` and fails each match (its regexp rejects the range `l-O`); here the
        // pattern is refused up front, and `parse` keeps it matching nothing, every time.
        assert!(DockerIgnore::try_parse("[Local-Only]/").is_err());
        let lenient = DockerIgnore::parse("[Local-Only]/");
        assert!(!lenient.excludes("x") && !lenient.excludes("x"));
    }

    /// moby's `compileTests`: the kind of match each pattern gets (the regular expressions
    /// themselves are Go's and have no counterpart here).
    #[test]
    fn moby_compile_kinds() {
        let cases = [
            ("*", "tokens"),
            ("file*", "tokens"),
            ("*file", "tokens"),
            ("a*/b", "tokens"),
            ("**", "suffix"),
            ("**/**", "tokens"),
            ("dir/**", "prefix"),
            ("**/dir", "suffix"),
            ("**/dir2/*", "tokens"),
            ("**/dir2/**", "tokens"),
            ("**file", "suffix"),
            ("**/file*txt", "tokens"),
            ("**/**/*.txt", "tokens"),
            ("a[b-d]e", "tokens"),
            (".*", "tokens"),
            ("abc.def", "exact"),
            ("abc?def", "tokens"),
            ("**/foo/bar", "suffix"),
            ("a(b)c/def", "exact"),
            ("a.|)$(}+{bc", "exact"),
            ("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "exact"),
        ];
        for (pattern, kind) in cases {
            let got = match compile(&clean(pattern)).unwrap() {
                Matcher::Exact => "exact",
                Matcher::Prefix(_) => "prefix",
                Matcher::Suffix(_) => "suffix",
                Matcher::Tokens(_) => "tokens",
            };
            assert_eq!(got, kind, "{pattern}");
        }
    }

    /// moby/patternmatcher/ignorefile `TestReadAll`. Its two lone `!` lines are patterns there
    /// that `New` then refuses; `try_parse` refuses them, `parse` drops them.
    #[test]
    fn moby_ignorefile_read_all() {
        let content =
            "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! ";
        let read: Vec<String> = patterns(content).map(|(_, p)| p).collect();
        let expected = [
            "test1",
            "test2",
            "a/file/here",
            "lastfile",
            "!inverted/abs/path",
            "!",
            "!",
        ];
        assert_eq!(read, expected);
        let e = DockerIgnore::try_parse(content).unwrap_err().to_string();
        assert!(e.contains("line 8"), "{e}");
        let lenient = DockerIgnore::parse(content);
        let kept: Vec<(&str, bool)> = lenient
            .rules
            .iter()
            .map(|r| (r.text.as_str(), r.reinclude))
            .collect();
        assert_eq!(
            kept,
            [
                ("test1", false),
                ("test2", false),
                ("a/file/here", false),
                ("lastfile", false),
                ("inverted/abs/path", true)
            ]
        );
    }

    /// Took minutes with the backtracking matcher (a 21-character pattern against 50
    /// characters: 105 s in release); both answers are immediate now.
    #[test]
    fn pathological_patterns_answer_at_once() {
        let stars = DockerIgnore::parse("*a*a*a*a*a*a*a*a*a*a*b");
        assert!(!stars.excludes(&"a".repeat(50)));
        assert!(stars.excludes(&format!("{}b", "a".repeat(50))));
        let dirs = DockerIgnore::parse(&format!("{}b", "**/".repeat(12)));
        let deep = vec!["a"; 40].join("/");
        assert!(!dirs.excludes(&deep));
        assert!(dirs.excludes(&format!("{deep}/b")));
    }

    #[test]
    fn later_rules_win_and_directories_exclude_their_content() {
        let ignore = DockerIgnore::parse("# comment\n\n/target\n*.md\n!README.md\n./secret/\n");
        assert!(ignore.excludes("target"));
        assert!(
            ignore.excludes("target/debug/x"),
            "a matched directory excludes its content"
        );
        assert!(ignore.excludes("NOTES.md"));
        assert!(!ignore.excludes("README.md"), "`!` re-includes");
        assert!(ignore.excludes("secret/key"));
        assert!(!ignore.excludes("src/main.rs"));
        assert!(!ignore.excludes("docs/a.md"), "`*.md` matches at the top only");
    }

    #[test]
    fn cleaning_follows_filepath_clean() {
        for (raw, cleaned) in [
            ("a//b/./c/", "a/b/c"),
            ("a/../b", "b"),
            ("../a", "../a"),
            ("/../a", "/a"),
            ("a/..", "."),
            ("/", "/"),
        ] {
            assert_eq!(clean(raw), cleaned, "{raw}");
        }
        // `/../secret` is `secret` at the top of the context; `  # x` is no comment.
        let ignore = DockerIgnore::parse("/../secret\n  # x\n");
        assert!(ignore.excludes("secret") && ignore.excludes("# x"));
    }

    #[test]
    fn an_excluded_directory_is_walked_only_for_a_rule_below_it() {
        let ignore = DockerIgnore::parse("logs\ncache\n!logs/keep.txt\n!**/keep.txt\n");
        assert!(ignore.may_reinclude_below("logs"));
        assert!(
            !ignore.may_reinclude_below("cache"),
            "as the CLI: `!**/keep.txt` does not count"
        );
        assert!(!ignore.may_reinclude_below("log"));
    }
}
