//! `convert::rustdoc_safe`: no code block of a spec description may become a doctest.

use docker_engine_api_codegen::convert::rustdoc_safe;

#[test]
fn unlabelled_fences_become_text() {
    let md = "Example:\n\n```\n{\"a\": 1}\n```\n\nand\n  ```json\n  {}\n  ```\n";
    assert_eq!(
        rustdoc_safe(md),
        "Example:\n\n```text\n{\"a\": 1}\n```\n\nand\n  ```json\n  {}\n  ```\n"
    );
}

#[test]
fn indented_blocks_become_fenced_text() {
    let md = "Run:\n\n    docker run -it foo\n    echo hi\n\nDone.";
    assert_eq!(
        rustdoc_safe(md),
        "Run:\n\n```text\ndocker run -it foo\necho hi\n```\n\nDone."
    );
    // Inside a fence nothing changes, and an indented line after text (a continuation) stays.
    let md = "- item\n    continued\n```go\n    x := 1\n```";
    assert_eq!(rustdoc_safe(md), md);
}

#[test]
fn an_unclosed_fence_is_closed() {
    assert_eq!(rustdoc_safe("```\nx"), "```text\nx\n```");
}
