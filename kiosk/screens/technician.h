// The technician's page: what the kiosk shows instead of a black screen when ksd.toml or
// kiosk.toml has a bad value. Calm, Indonesian first and English second; names the file, line
// and key, what is wrong and how to fix it. Drawn without the App (there is no usable config).
#pragma once

#include "ksd/technician_config.h"
#include "ui/ui.h"

#include <vector>

namespace kiosk {

struct TechnicianPage {
    std::vector<ksd::ConfigProblem> problems;
};

// Draws the page filling the theme's screen in one pass of ui (between begin and end).
void technician_page(ui::Ui&, TechnicianPage const&);

// One complete drawing pass at size; returns the widgets placed (for layout tests).
std::vector<ui::WidgetRecord> draw_technician_page(
    ui::Renderer&, ui::TextMeasurer&, ui::Size, TechnicianPage const&);

} // namespace kiosk
