// The SKM page's chart: the NRR of each element as a horizontal bar on the 1..4 scale, with the
// regulation's grade cut-offs (2.60 C, 3.0644 B, 3.5324 A) as dashed lines. Pure; every text
// escaped; no script or style attribute (the staff pages' CSP).
#pragma once

#include "ksd/skm.h"

#include <string>

namespace ksd::server {

// title: the <title> and aria-label; lang for the element names in the bars' <title>s.
std::string skm_bars_svg(SkmIndex const&, std::string const& title, Lang);

} // namespace ksd::server
