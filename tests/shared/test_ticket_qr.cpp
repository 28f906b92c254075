// The ticket's QR payload (issue 11): status page, else the office's WhatsApp, else the code; and
// the check of the `ticket.status_url` template.
#include "ksd/receipt.h"
#include "ksd/ticket_qr.h"

#include <catch2/catch.hpp>

using namespace ksd;

TEST_CASE("ticket_qr: the status URL wins, with every {code} replaced") {
    auto q = ticket_qr(
        "7K3QD-9MRT9", "https://ksd.example.go.id/t/{code}", "+6281200000000", Lang::Id);
    CHECK(q.kind == TicketQrKind::StatusPage);
    CHECK(q.data == "https://ksd.example.go.id/t/7K3QD-9MRT9");
    auto twice = ticket_qr("7K3QD-9MRT9", "http://x.test/{code}?c={code}", "", Lang::En);
    CHECK(twice.data == "http://x.test/7K3QD-9MRT9?c=7K3QD-9MRT9");
}

TEST_CASE(
    "ticket_qr: without a status URL, a WhatsApp link with the code in the visitor's language") {
    auto id = ticket_qr("7K3QD-9MRT9", "", "+62 812-0000-0000", Lang::Id);
    CHECK(id.kind == TicketQrKind::WhatsApp);
    CHECK(id.data.starts_with("https://wa.me/6281200000000?text=Halo%2C%20saya%20"));
    CHECK(id.data.ends_with("7K3QD-9MRT9"));
    auto en = ticket_qr("7K3QD-9MRT9", "", "+6281200000000", Lang::En);
    CHECK(en.kind == TicketQrKind::WhatsApp);
    CHECK(en.data.starts_with("https://wa.me/6281200000000?text=Hello%2C%20I%20made"));
    CHECK(en.data.find("7K3QD-9MRT9") != std::string::npos);
}

TEST_CASE("ticket_qr: otherwise the bare code, and an unusable number or template is not used") {
    CHECK(ticket_qr("7K3QD-9MRT9", "", "", Lang::Id).data == "7K3QD-9MRT9");
    CHECK(ticket_qr("7K3QD-9MRT9", "", "", Lang::Id).kind == TicketQrKind::Code);
    // A local number (no +country) cannot make a wa.me link.
    CHECK(ticket_qr("7K3QD-9MRT9", "", "0812 0000 0000", Lang::Id).kind == TicketQrKind::Code);
    // A bad template (refused at start-up by the config check) never reaches a QR code.
    CHECK(ticket_qr("7K3QD-9MRT9", "ftp://x/{code}", "", Lang::Id).kind == TicketQrKind::Code);
}

TEST_CASE("status_url_problem names what is wrong with the template") {
    CHECK(status_url_problem("").empty());
    CHECK(status_url_problem("https://ksd.example.go.id/t/{code}").empty());
    CHECK(status_url_problem("http://10.0.0.5:8080/t/{code}").empty());
    CHECK(status_url_problem("ksd.example.go.id/t/{code}").find("http") != std::string::npos);
    CHECK(status_url_problem("javascript:alert({code})").find("http") != std::string::npos);
    CHECK(status_url_problem("https://ksd.example.go.id/t/").find("{code}") != std::string::npos);
    CHECK(status_url_problem("https:///t/{code}").find("host") != std::string::npos);
    CHECK(status_url_problem("https://ksd.example.go.id/t/{code} x").find("spaces")
        != std::string::npos);
}

TEST_CASE("whatsapp_link refuses numbers not in international form") {
    CHECK(whatsapp_link("+6281200000000", "").value() == "https://wa.me/6281200000000");
    CHECK(!whatsapp_link("081200000000", "hi"));
    CHECK(!whatsapp_link("+62 812 abc", "hi"));
    CHECK(whatsapp_link("+6281200000000", "a b&c").value()
        == "https://wa.me/6281200000000?text=a%20b%26c");
}
