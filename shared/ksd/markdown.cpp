// md4c callbacks building the block model of markdown.h. Inline images become their own Image
// blocks, since the kiosk lays them out on their own line anyway.
#include "ksd/markdown.h"

#include "ksd/utf8.h"

#include <charconv>
#include <md4c.h>

namespace ksd::md {

namespace {

struct Builder {
    std::string_view source;
    Document doc;
    int list_depth {0};
    std::vector<std::pair<bool, int>> lists; // ordered, next number
    int quote_depth {0};
    bool in_table {false};
    bool in_html_block {false};
    int image_depth {0};
    uint8_t style {Plain};
    std::vector<std::string> hrefs; // open links
    std::vector<Span>* target {nullptr};
    size_t link_search_from {0};

    Block& new_block(BlockKind kind) {
        doc.blocks.push_back(Block {});
        doc.blocks.back().kind = kind;
        target = &doc.blocks.back().spans;
        return doc.blocks.back();
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
        if (image_depth > 0) {
            doc.blocks.back().alt += text;
            return;
        }
        if (in_html_block)
            return;
        if (!target) {
            // Text outside any block we know (should not happen): keep it visible.
            new_block(quote_depth ? BlockKind::Quote : BlockKind::Paragraph);
        }
        std::string href = (style & Link) && !hrefs.empty() ? hrefs.back() : std::string();
        if (!target->empty() && target->back().style == style && target->back().href == href) {
            target->back().text += text;
            return;
        }
        target->push_back(Span {std::string(text), style, href});
    }
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
        unsigned value = 0;
        bool hex = e[2] == 'x' || e[2] == 'X';
        auto digits = e.substr(hex ? 3 : 2, e.size() - (hex ? 4 : 3));
        auto [p, ec]
            = std::from_chars(digits.data(), digits.data() + digits.size(), value, hex ? 16 : 10);
        if (ec == std::errc() && value > 0 && value <= 0x10FFFF
            && !(value >= 0xD800 && value <= 0xDFFF)) {
            std::string out;
            utf8::append(out, value);
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
        b.target = nullptr;
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
        if (b.in_table)
            break;
        // A tight list item's first paragraph is the item itself.
        if (!b.doc.blocks.empty() && b.doc.blocks.back().kind == BlockKind::ListItem
            && b.doc.blocks.back().spans.empty() && b.target == &b.doc.blocks.back().spans)
            break;
        auto& blk = b.new_block(b.quote_depth ? BlockKind::Quote : BlockKind::Paragraph);
        blk.level = static_cast<int>(b.lists.size());
        break;
    }
    case MD_BLOCK_TABLE:
        b.new_block(BlockKind::Table);
        b.in_table = true;
        b.target = nullptr;
        break;
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
        break;
    case MD_BLOCK_TR:
        b.doc.blocks.back().rows.emplace_back();
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        b.doc.blocks.back().rows.back().emplace_back();
        b.target = &b.doc.blocks.back().rows.back().back();
        break;
    }
    return 0;
}

int leave_block(MD_BLOCKTYPE type, void*, void* user) {
    auto& b = *static_cast<Builder*>(user);
    switch (type) {
    case MD_BLOCK_QUOTE:
        --b.quote_depth;
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        b.lists.pop_back();
        break;
    case MD_BLOCK_TABLE:
        b.in_table = false;
        b.target = nullptr;
        break;
    case MD_BLOCK_HTML:
        b.in_html_block = false;
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        b.target = nullptr;
        break;
    case MD_BLOCK_P:
    case MD_BLOCK_H:
    case MD_BLOCK_CODE:
    case MD_BLOCK_LI:
        if (!b.in_table)
            b.target = nullptr;
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
        auto src = attribute_text(static_cast<MD_SPAN_IMG_DETAIL*>(detail)->src);
        b.note_link(src);
        // Close the running text block; the image stands alone, text after it continues in
        // a fresh block of the same kind.
        BlockKind resume = BlockKind::Paragraph;
        if (!b.doc.blocks.empty() && b.target == &b.doc.blocks.back().spans)
            resume = b.doc.blocks.back().kind == BlockKind::Quote ? BlockKind::Quote
                                                                  : BlockKind::Paragraph;
        b.doc.blocks.push_back(Block {});
        b.doc.blocks.back().kind = BlockKind::Image;
        b.doc.blocks.back().src = src;
        b.doc.blocks.back().level = static_cast<int>(resume); // remembered for leave_span
        ++b.image_depth;
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
    case MD_SPAN_IMG: {
        --b.image_depth;
        auto resume = static_cast<BlockKind>(b.doc.blocks.back().level);
        b.doc.blocks.back().level = 0;
        if (!b.in_table)
            b.new_block(resume);
        else
            b.target = nullptr;
        break;
    }
    default:
        break;
    }
    return 0;
}

int text(MD_TEXTTYPE type, MD_CHAR const* data, MD_SIZE size, void* user) {
    auto& b = *static_cast<Builder*>(user);
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
    // Drop empty paragraphs left behind by images at the end of a paragraph.
    std::erase_if(b.doc.blocks, [](Block const& blk) {
        return (blk.kind == BlockKind::Paragraph || blk.kind == BlockKind::Quote)
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
