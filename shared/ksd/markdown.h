// Markdown (CommonMark + tables, via md4c) parsed into a small block model that both the
// content builder (link checks, plain text for search) and the kiosk's layout use, so there is
// exactly one Markdown parser in the project.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ksd::md {

enum Style : uint8_t {
    Plain = 0,
    Bold = 1,
    Italic = 2,
    Code = 4,
    Link = 8,
};

struct Span {
    std::string text; // UTF-8, entities decoded, soft breaks as spaces
    uint8_t style {Plain}; // bit set of Style
    std::string href; // for Link spans: "page:ID", "section:ID", "https://..."
};

enum class BlockKind {
    Heading, // level 1..6
    Paragraph,
    ListItem, // depth 1.., ordered with number, or bullet
    Quote, // a paragraph inside a block quote
    Table, // rows of cells; row 0 is the header
    Image, // src and alt
    Rule,
    CodeBlock,
};

struct Block {
    BlockKind kind {BlockKind::Paragraph};
    int level {0}; // heading level or list depth
    bool ordered {false};
    int number {0}; // ordered list item number
    std::vector<Span> spans;
    std::vector<std::vector<std::vector<Span>>> rows; // Table: rows -> cells -> spans
    std::string src; // Image
    std::string alt; // Image
};

struct LinkRef {
    std::string href;
    size_t line; // 1-based line in the Markdown text where the link starts (approximate)
};

struct Document {
    std::vector<Block> blocks;
    std::vector<LinkRef> links; // every link and image target, in order
};

// Never fails: malformed Markdown is still text. Invalid UTF-8 must be rejected before.
Document parse(std::string_view markdown);
// All text of a document as plain text, blocks separated by newlines (for the search index).
std::string plain_text(Document const&);
// Concatenated text of spans.
std::string spans_text(std::vector<Span> const&);

} // namespace ksd::md
