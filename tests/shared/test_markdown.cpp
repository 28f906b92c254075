// The Markdown block model with inlines in every container md4c can put them in: images, links
// and code inside tables, headings, list items, nested quotes and other images (issue 9: an
// image in a table cell crashed the builder and the article screen).
#include "ksd/markdown.h"

#include <catch2/catch.hpp>
#include <random>

using namespace ksd;
using md::BlockKind;

namespace {

std::string kinds(md::Document const& doc) {
    std::string out;
    for (auto const& b : doc.blocks) {
        switch (b.kind) {
        case BlockKind::Heading:
            out += "H" + std::to_string(b.level);
            break;
        case BlockKind::Paragraph:
            out += "P";
            break;
        case BlockKind::ListItem:
            out += "L" + std::to_string(b.level);
            break;
        case BlockKind::Quote:
            out += "Q";
            break;
        case BlockKind::Table:
            out += "T";
            break;
        case BlockKind::Image:
            out += "I";
            break;
        case BlockKind::Rule:
            out += "R";
            break;
        case BlockKind::CodeBlock:
            out += "C";
            break;
        }
        out += ' ';
    }
    return out;
}

std::vector<std::string> hrefs(md::Document const& doc) {
    std::vector<std::string> out;
    for (auto const& l : doc.links)
        out.push_back(l.href);
    return out;
}

} // namespace

TEST_CASE("an image in a table cell stays in its cell as alt text", "[markdown]") {
    auto doc = md::parse("| a | b |\n|---|---|\n| ![Bagan](images/bagan.png) x | y |\n"
                         "| z | w |\n\nAfter.\n");
    REQUIRE(kinds(doc) == "T P ");
    auto const& rows = doc.blocks[0].rows;
    REQUIRE(rows.size() == 3);
    REQUIRE(rows[1].size() == 2);
    CHECK(md::spans_text(rows[1][0]) == "Bagan x");
    CHECK(md::spans_text(rows[1][1]) == "y");
    CHECK(md::spans_text(rows[2][0]) == "z");
    CHECK(md::spans_text(doc.blocks[1].spans) == "After.");
    // The image is still a reference the builder checks.
    CHECK(hrefs(doc) == std::vector<std::string> {"images/bagan.png"});
}

TEST_CASE("an image in a table header cell with links and code beside it", "[markdown]") {
    auto doc = md::parse(
        "| ![L](images/l.png) | `kode` [hal](page:p) |\n|---|---|\n| ![](images/m.png) | b |\n");
    REQUIRE(kinds(doc) == "T ");
    auto const& rows = doc.blocks[0].rows;
    REQUIRE(rows.size() == 2);
    CHECK(md::spans_text(rows[0][0]) == "L");
    REQUIRE(rows[0][1].size() == 3);
    CHECK(rows[0][1][0].style == md::Code);
    CHECK(rows[0][1][2].style == md::Link);
    CHECK(rows[0][1][2].href == "page:p");
    CHECK(md::spans_text(rows[1][0]).empty());
    CHECK(md::spans_text(rows[1][1]) == "b");
    CHECK(hrefs(doc) == std::vector<std::string> {"images/l.png", "page:p", "images/m.png"});
}

TEST_CASE("an image in a heading splits it into heading then image then heading", "[markdown]") {
    auto doc = md::parse("## Dinas ![Logo](images/logo.png) Perkebunan\n\nTeks.\n");
    REQUIRE(kinds(doc) == "H2 I H2 P ");
    CHECK(md::spans_text(doc.blocks[0].spans) == "Dinas ");
    CHECK(doc.blocks[1].src == "images/logo.png");
    CHECK(doc.blocks[1].alt == "Logo");
    CHECK(md::spans_text(doc.blocks[2].spans) == " Perkebunan");
}

TEST_CASE("an image in a list item continues the item and opens no new bullet", "[markdown]") {
    auto doc
        = md::parse("1. satu ![x](images/x.png) lanjut\n2. dua\n   - dalam ![y](images/y.png)\n");
    REQUIRE(kinds(doc) == "L1 I P L1 L2 I ");
    CHECK(doc.blocks[0].number == 1);
    CHECK(md::spans_text(doc.blocks[2].spans) == " lanjut");
    CHECK(doc.blocks[2].level == 1);
    CHECK(doc.blocks[3].number == 2);
    CHECK(doc.blocks[5].src == "images/y.png");
}

TEST_CASE("an image in a nested quote keeps the rest in the quote", "[markdown]") {
    auto doc = md::parse("> > kutipan ![q](images/q.png) sisa\n>\n> luar\n");
    REQUIRE(kinds(doc) == "Q I Q Q ");
    CHECK(md::spans_text(doc.blocks[2].spans) == " sisa");
    CHECK(md::spans_text(doc.blocks[3].spans) == "luar");
}

TEST_CASE("an image inside a link and an image inside an image's alt text", "[markdown]") {
    auto linked = md::parse("[![Peta](images/peta.png)](page:peta) lalu teks\n");
    REQUIRE(kinds(linked) == "I P ");
    CHECK(linked.blocks[0].alt == "Peta");
    CHECK(hrefs(linked) == std::vector<std::string> {"page:peta", "images/peta.png"});
    // CommonMark: the alt text is the plain text of the description, inner images included.
    auto nested = md::parse("![luar ![dalam](images/b.png) akhir](images/a.png) sesudah\n");
    REQUIRE(kinds(nested) == "I P ");
    CHECK(nested.blocks[0].src == "images/a.png");
    CHECK(nested.blocks[0].alt == "luar dalam akhir");
    CHECK(md::spans_text(nested.blocks[1].spans) == " sesudah");
    CHECK(hrefs(nested).size() == 2);
}

TEST_CASE("a table inside a list item and a quote", "[markdown]") {
    auto doc = md::parse("- butir\n\n  | a | ![i](images/i.png) |\n  |---|---|\n  | c | d |\n\n"
                         "  lanjut\n\n> | q | r |\n> |---|---|\n> | ![](images/j.png) | s |\n");
    REQUIRE(kinds(doc) == "L1 T P T ");
    CHECK(md::spans_text(doc.blocks[1].rows[0][1]) == "i");
    CHECK(md::spans_text(doc.blocks[3].rows[1][1]) == "s");
}

TEST_CASE("random mixes of every construct parse without a crash", "[markdown]") {
    // Deterministic: the same documents on every run. ASan and UBSan do the checking.
    static char const* const pieces[] = {"| a | b |\n", "|---|---|\n", "![x](images/x.png)",
        "[l](page:p)", "`c`", "**b**", "*i*", "\n", "\n\n", "> ", "- ", "1. ", "## ", "    ",
        "```\n", "---\n", "text ", "![", "](", ")", "[", "]", "|", "&amp;", "<b>", "\\"};
    std::mt19937 rng(9);
    std::uniform_int_distribution<size_t> pick(0, std::size(pieces) - 1);
    std::uniform_int_distribution<int> len(1, 60);
    size_t total_blocks = 0;
    for (int doc_no = 0; doc_no < 3000; ++doc_no) {
        std::string text;
        for (int i = len(rng); i > 0; --i)
            text += pieces[pick(rng)];
        auto doc = md::parse(text);
        total_blocks += doc.blocks.size();
        for (auto const& b : doc.blocks)
            if (b.kind == BlockKind::Table)
                for (auto const& row : b.rows)
                    CHECK(row.size() <= 64);
        (void)md::plain_text(doc);
    }
    CHECK(total_blocks > 3000);
}
