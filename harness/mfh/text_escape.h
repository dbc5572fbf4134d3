// text_escape.h - text made safe for the formats mfh writes (the coverage
// listing's and the campaign's HTML, the campaign's JSON and SARIF).
#pragma once

#include <string>

namespace mf::mfh {

std::string json_string(const std::string& text);  // quoted and escaped
std::string html_escape(const std::string& text);

}  // namespace mf::mfh
