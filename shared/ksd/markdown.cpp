// md4c callbacks building the block model of markdown.h. Inline images become their own Image
// blocks, since the kiosk lays them out on their own line anyway; in a table cell an image is
// its alt text. Open blocks are held by index, so no callback order can leave a dangling one.
#include "ksd/markdown.h"

#include "ksd/number.h"
#include "ksd/utf8.h"

#include <charconv>
#include <md4c.h>

namespace ksd::md {

namespace {

// Where inline text goes. Held as indexes, never as pointers or references into doc.blocks:
// an image opens a new block, and the vector may move while a table cell is still open.
struct Target {
    size_t block {npos}; // npos: no open text block
    bool cell {false}; // the last cell of the last row of table `block`
    static constexpr size_t npos = static_cast<size_t>(-1);
};

struct Builder {
    std::string_view source;
    Document doc;
    std::vector<std::pair<bool, int>> lists; // ordered, next number
    int quote_depth {0};
    size_t table {Target::npos}; // the open table block
    bool in_html_block {false};
    size_t image {Target::npos}; // the outermost open image: its alt text collects the text
    int image_depth {0};
    uint8_t style {Plain};
    std::vector<std::string> hrefs; // open links
    Target target;
    size_t link_search_from {0};

    bool in_table() const { return table != Target::npos; }

    Block& new_block(BlockKind kind) {
        doc.blocks.push_back(Block {});
        doc.blocks.back().kind = kind;
        target = {doc.blocks.size() - 1, false};
        return doc.blocks.back();
    }

    // The spans text goes into, or nullptr when no text block is open.
    std::vector<Span>* spans() {
        if (target.block >= doc.blocks.size())
            return nullptr;
        Block& blk = doc.blocks[target.block];
        if (!target.cell)
            return &blk.spans;
        if (blk.rows.empty() || blk.rows.back().empty())
            return nullptr;
        return &blk.rows.back().back();
    }

    void note_link(std::string const& href) {
        // md4c gives no source positions; find the target text in the source to name a line.
        size_t pos = source.find(href, link_search_from);
        if (pos == std::string_view::npos)
            pos = source.find(href);
        size_t line = pos == std::string_view::npos ? 0 : utf8::line_of_offset(source, pos);
        if (pos != std::string_view::npos)
            link_search_from = pos + href.size();
        doc.links.push_back({href, line});
    }

    void add_text(std::string_view text) {
        if (image_depth > 0 && image < doc.blocks.size()) {
            doc.blocks[image].alt += text;
            return;
        }
        if (in_html_block)
            return;
        auto* into = spans();
        if (!into) {
            // Text outside any block we know (after a nested list in a tight item): keep it
            // visible.
            new_block(quote_depth ? BlockKind::Quote : BlockKind::Paragraph).level
                = static_cast<int>(lists.size());
            into = spans();
        }
        std::string href = (style & Link) && !hrefs.empty() ? hrefs.back() : std::string();
        if (!into->empty() && into->back().style == style && into->back().href == href) {
            into->back().text += text;
            return;
        }
        into->push_back(Span {std::string(text), style, href});
    }

    // An image inside running text closes the text block; the text after it continues in a
    // block that reads as the same thing: a heading goes on as a heading of its level, a list
    // item as a paragraph under it (not a new bullet), a quote as a quote.
    void open_image(std::string const& src) {
        BlockKind resume = quote_depth ? BlockKind::Quote : BlockKind::Paragraph;
        int level = static_cast<int>(lists.size());
        if (target.block < doc.blocks.size() && !target.cell) {
            Block const& running = doc.blocks[target.block];
            switch (running.kind) {
            case BlockKind::Heading:
                resume = BlockKind::Heading;
                level = running.level;
                break;
            case BlockKind::Quote:
                resume = BlockKind::Quote;
                break;
            case BlockKind::ListItem:
            case BlockKind::Paragraph:
            case BlockKind::CodeBlock:
            case BlockKind::Table:
            case BlockKind::Image:
            case BlockKind::Rule:
                break;
            }
        }
        doc.blocks.push_back(Block {});
        doc.blocks.back().kind = BlockKind::Image;
        doc.blocks.back().src = src;
        image = doc.blocks.size() - 1;
        resume_kind = resume;
        resume_level = level;
        target = {};
    }

    void close_image() {
        image = Target::npos;
        new_block(resume_kind).level = resume_level;
    }

    BlockKind resume_kind {BlockKind::Paragraph};
    int resume_level {0};
};

std::string attribute_text(MD_ATTRIBUTE const& a) {
    return std::string(a.text, a.size);
}

std::string decode_entity(std::string_view e) {
    if (e == "&amp;")
        return "&";
    if (e == "&lt;")
        return "<";
    if (e == "&gt;")
        return ">";
    if (e == "&quot;")
        return "\"";
    if (e == "&apos;")
        return "'";
    if (e == "&nbsp;")
        return "\u00a0";
    if (e == "&mdash;")
        return "\u2014";
    if (e == "&ndash;")
        return "\u2013";
    if (e.size() > 3 && e[1] == '#') {
        bool hex = e[2] == 'x' || e[2] == 'X';
        auto digits = e.substr(hex ? 3 : 2, e.size() - (hex ? 4 : 3));
        auto value = parse_int<unsigned>(digits, hex ? 16 : 10);
        if (value && *value > 0 && *value <= 0x10FFFF && !(*value >= 0xD800 && *value <= 0xDFFF)) {
            std::string out;
            utf8::append(out, *value);
            return out;
        }
    }
    return std::string(e);
}

int enter_block(MD_BLOCKTYPE type, void* detail, void* user) {
    auto& b = *static_cast<Builder*>(user);
    switch (type) {
    case MD_BLOCK_DOC:
        break;
    case MD_BLOCK_QUOTE:
        ++b.quote_depth;
        break;
    case MD_BLOCK_UL:
        b.lists.push_back({false, 0});
        break;
    case MD_BLOCK_OL:
        b.lists.push_back(
            {true, static_cast<int>(static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start)});
        break;
    case MD_BLOCK_LI: {
        auto& blk = b.new_block(BlockKind::ListItem);
        blk.level = static_cast<int>(b.lists.size());
        if (!b.lists.empty()) {
            blk.ordered = b.lists.back().first;
            blk.number = b.lists.back().second++;
        }
        break;
    }
    case MD_BLOCK_HR:
        b.new_block(BlockKind::Rule);
        b.target = {};
        break;
    case MD_BLOCK_H:
        b.new_block(BlockKind::Heading).level
            = static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
        break;
    case MD_BLOCK_CODE:
        b.new_block(BlockKind::CodeBlock);
        break;
    case MD_BLOCK_HTML:
        b.in_html_block = true;
        break;
    case MD_BLOCK_P: {
        if (b.in_table())
            break;
        // A tight list item's first paragraph is the item itself.
        if (!b.doc.blocks.empty() && b.target.block == b.doc.blocks.size() - 1 && !b.target.cell
            && b.doc.blocks.back().kind == BlockKind::ListItem && b.doc.blocks.back().spans.empty())
            break;
        auto& blk = b.new_block(b.quote_depth ? BlockKind::Quote : BlockKind::Paragraph);
        blk.level = static_cast<int>(b.lists.size());
        break;
    }
    case MD_BLOCK_TABLE:
        b.new_block(BlockKind::Table);
        b.table = b.doc.blocks.size() - 1;
        b.target = {};
        break;
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
        break;
    case MD_BLOCK_TR:
        if (b.in_table())
            b.doc.blocks[b.table].rows.emplace_back();
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        if (b.in_table() && !b.doc.blocks[b.table].rows.empty()) {
            b.doc.blocks[b.table].rows.back().emplace_back();
            b.target = {b.table, true};
        }
        break;
    }
    return 0;
}

int leave_block(MD_BLOCKTYPE type, void*, void* user) {
    auto& b = *static_cast<Builder*>(user);
    switch (type) {
    case MD_BLOCK_QUOTE:
        if (b.quote_depth > 0)
            --b.quote_depth;
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        if (!b.lists.empty())
            b.lists.pop_back();
        break;
    case MD_BLOCK_TABLE:
        b.table = Target::npos;
        b.target = {};
        break;
    case MD_BLOCK_HTML:
        b.in_html_block = false;
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        b.target = {};
        break;
    case MD_BLOCK_P:
    case MD_BLOCK_H:
    case MD_BLOCK_CODE:
    case MD_BLOCK_LI:
        if (!b.in_table())
            b.target = {};
        break;
    default:
        break;
    }
    return 0;
}

int enter_span(MD_SPANTYPE type, void* detail, void* user) {
    auto& b = *static_cast<Builder*>(user);
    switch (type) {
    case MD_SPAN_EM:
        b.style |= Italic;
        break;
    case MD_SPAN_STRONG:
        b.style |= Bold;
        break;
    case MD_SPAN_CODE:
        b.style |= Code;
        break;
    case MD_SPAN_A: {
        auto href = attribute_text(static_cast<MD_SPAN_A_DETAIL*>(detail)->href);
        b.hrefs.push_back(href);
        b.style |= Link;
        b.note_link(href);
        break;
    }
    case MD_SPAN_IMG: {
        b.note_link(attribute_text(static_cast<MD_SPAN_IMG_DETAIL*>(detail)->src));
        // A table cell holds only text: an image there shows as its alt text, which md4c
        // passes as ordinary text. An image inside an image's description adds its own
        // description to the outer alt text (CommonMark).
        if (b.in_table())
            break;
        if (b.image_depth++ == 0)
            b.open_image(attribute_text(static_cast<MD_SPAN_IMG_DETAIL*>(detail)->src));
        break;
    }
    default:
        break;
    }
    return 0;
}

int leave_span(MD_SPANTYPE type, void*, void* user) {
    auto& b = *static_cast<Builder*>(user);
    switch (type) {
    case MD_SPAN_EM:
        b.style &= static_cast<uint8_t>(~Italic);
        break;
    case MD_SPAN_STRONG:
        b.style &= static_cast<uint8_t>(~Bold);
        break;
    case MD_SPAN_CODE:
        b.style &= static_cast<uint8_t>(~Code);
        break;
    case MD_SPAN_A:
        if (!b.hrefs.empty())
            b.hrefs.pop_back();
        if (b.hrefs.empty())
            b.style &= static_cast<uint8_t>(~Link);
        break;
    case MD_SPAN_IMG:
        if (b.in_table() || b.image_depth == 0)
            break;
        if (--b.image_depth == 0)
            b.close_image();
        break;
    default:
        break;
    }
    return 0;
}

int text(MD_TEXTTYPE type, MD_CHAR const* data, MD_SIZE size, void* user) {
    auto& b = *static_cast<Builder*>(user);
    // md4c's text is a piece of the page (or a short fixed string). A longer one can only come
    // from a fault inside md4c, which our sanitizers cannot see: the fuzzer once met a 3.2 GB
    // "text" from a 1.4 KB page. Stop parsing rather than copy it.
    if (size > b.source.size() + 16)
        return -1;
    std::string_view t(data, size);
    switch (type) {
    case MD_TEXT_NULLCHAR:
        b.add_text("\uFFFD");
        break;
    case MD_TEXT_BR:
        b.add_text("\n");
        break;
    case MD_TEXT_SOFTBR:
        b.add_text(" ");
        break;
    case MD_TEXT_ENTITY:
        b.add_text(decode_entity(t));
        break;
    case MD_TEXT_HTML:
        break; // raw HTML is not shown on a kiosk
    default:
        b.add_text(t);
        break;
    }
    return 0;
}

} // namespace

Document parse(std::string_view markdown) {
    Builder b;
    b.source = markdown;
    MD_PARSER parser {};
    parser.abi_version = 0;
    parser.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOHTML;
    parser.enter_block = enter_block;
    parser.leave_block = leave_block;
    parser.enter_span = enter_span;
    parser.leave_span = leave_span;
    parser.text = text;
    md_parse(markdown.data(), static_cast<MD_SIZE>(markdown.size()), &parser, &b);
    // Drop empty text blocks left behind by images at the end of a paragraph or heading.
    std::erase_if(b.doc.blocks, [](Block const& blk) {
        return (blk.kind == BlockKind::Paragraph || blk.kind == BlockKind::Quote
                   || blk.kind == BlockKind::Heading)
            && blk.spans.empty();
    });
    return std::move(b.doc);
}

std::string spans_text(std::vector<Span> const& spans) {
    std::string out;
    for (auto const& s : spans)
        out += s.text;
    return out;
}

std::string plain_text(Document const& doc) {
    std::string out;
    for (auto const& blk : doc.blocks) {
        switch (blk.kind) {
        case BlockKind::Table:
            for (auto const& row : blk.rows) {
                for (auto const& cell : row) {
                    out += spans_text(cell);
                    out += ' ';
                }
                out += '\n';
            }
            break;
        case BlockKind::Image:
            out += blk.alt;
            out += '\n';
            break;
        default:
            out += spans_text(blk.spans);
            out += '\n';
            break;
        }
    }
    return out;
}

} // namespace ksd::md
