// Markdown model to escaped HTML for the staff's preview; see markdown_html.h.
#include "markdown_html.h"

#include "ksd/markdown.h"
#include "ksd/utf8.h"

#include <algorithm>

namespace ksd::server::web {

namespace {

bool starts_with(std::string_view s, std::string_view p) {
    return s.substr(0, p.size()) == p;
}

void spans_html(std::string& out, std::vector<md::Span> const& spans) {
    for (auto const& s : spans) {
        std::string text = html_escape(s.text);
        if (s.style & md::Code)
            text = "<code>" + text + "</code>";
        if (s.style & md::Italic)
            text = "<em>" + text + "</em>";
        if (s.style & md::Bold)
            text = "<strong>" + text + "</strong>";
        if (s.style & md::Link) {
            // The kiosk opens page: and section: links and shows web addresses as text with a
            // QR code; anything else the build refuses. None of them is a link here.
            bool known = starts_with(s.href, "page:") || starts_with(s.href, "section:")
                || starts_with(s.href, "https://") || starts_with(s.href, "http://")
                || starts_with(s.href, "mailto:") || starts_with(s.href, "tel:");
            text = "<span class=\"md-link\">" + text + "</span> <span class=\""
                + (known ? "md-href" : "md-href md-bad") + "\">[" + html_escape(s.href)
                + "]</span>";
        }
        out += text;
    }
}

} // namespace

std::string markdown_preview_html(std::string_view markdown) {
    // The model needs valid UTF-8 (the build refuses anything else); shown as text here.
    if (!utf8::is_valid(markdown))
        return "<p class=\"md-bad\">" + html_escape("(bukan UTF-8 yang sah)") + "</p>";
    md::Document doc = md::parse(markdown);
    std::string out;
    for (auto const& b : doc.blocks) {
        switch (b.kind) {
        case md::BlockKind::Heading: {
            // The page's title is the h1 of the preview's card: headings start at h2.
            std::string tag = "h" + std::to_string(std::min(6, std::max(1, b.level) + 1));
            out += "<" + tag + ">";
            spans_html(out, b.spans);
            out += "</" + tag + ">\n";
            break;
        }
        case md::BlockKind::Paragraph:
            out += "<p>";
            spans_html(out, b.spans);
            out += "</p>\n";
            break;
        case md::BlockKind::ListItem:
            out += "<p class=\"md-li md-depth-" + std::to_string(std::min(4, std::max(1, b.level)))
                + "\"><span class=\"md-bullet\">"
                + (b.ordered ? std::to_string(b.number) + "." : std::string("\xE2\x80\xA2"))
                + "</span> ";
            spans_html(out, b.spans);
            out += "</p>\n";
            break;
        case md::BlockKind::Quote:
            out += "<blockquote><p>";
            spans_html(out, b.spans);
            out += "</p></blockquote>\n";
            break;
        case md::BlockKind::Table:
            out += "<table class=\"table md-table\">";
            for (size_t r = 0; r < b.rows.size(); ++r) {
                out += r == 0 ? "<thead><tr>" : "<tr>";
                for (auto const& cell : b.rows[r]) {
                    out += r == 0 ? "<th>" : "<td>";
                    spans_html(out, cell);
                    out += r == 0 ? "</th>" : "</td>";
                }
                out += r == 0 ? "</tr></thead><tbody>" : "</tr>";
            }
            out += b.rows.empty() ? "</table>\n" : "</tbody></table>\n";
            break;
        case md::BlockKind::Image:
            out += "<figure class=\"md-image\"><div class=\"md-image-box\">" + html_escape(b.src)
                + "</div><figcaption>" + html_escape(b.alt) + "</figcaption></figure>\n";
            break;
        case md::BlockKind::Rule:
            out += "<hr>\n";
            break;
        case md::BlockKind::CodeBlock:
            out += "<pre><code>" + html_escape(md::spans_text(b.spans)) + "</code></pre>\n";
            break;
        }
    }
    return out;
}

} // namespace ksd::server::web
