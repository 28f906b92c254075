// The staff's Markdown preview: the kiosk's model rendered by our escaping renderer, so a page
// holding HTML or a javascript: link shows it as harmless text.
#include "web/markdown_html.h"

#include <catch2/catch.hpp>

using namespace ksd::server::web;

TEST_CASE("preview: headings, emphasis, lists and tables from the kiosk's model") {
    std::string html = markdown_preview_html(
        "## Tahap 1\n\nTeks **tebal** dan *miring*.\n\n- satu\n- dua\n\n| a | b |\n|---|---|\n| 1 "
        "| 2 |\n");
    CHECK(html.find("<h3>Tahap 1</h3>") != std::string::npos);
    CHECK(html.find("<strong>tebal</strong>") != std::string::npos);
    CHECK(html.find("<em>miring</em>") != std::string::npos);
    CHECK(html.find("md-bullet") != std::string::npos);
    CHECK(html.find("<th>a</th>") != std::string::npos);
    CHECK(html.find("<td>2</td>") != std::string::npos);
}

TEST_CASE("preview: HTML and hostile links in a page are shown as text") {
    std::string html
        = markdown_preview_html("<script>alert(1)</script>\n\nA <img src=x "
                                "onerror=alert(2)> [klik](javascript:alert(3)) "
                                "[Alur](page:alur-ksd) ![x\" onerror=\"y](images/a.png)\n");
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("<a ") == std::string::npos);
    CHECK(html.find("href=") == std::string::npos);
    CHECK(html.find("onerror=\"") == std::string::npos);
    CHECK(html.find("[javascript:alert(3)]") != std::string::npos);
    CHECK(html.find("md-href md-bad") != std::string::npos);
    CHECK(html.find("[page:alur-ksd]") != std::string::npos);
}

TEST_CASE("preview: escaping covers every special character") {
    CHECK(html_escape("<a href=\"x\">'&'</a>")
        == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}
