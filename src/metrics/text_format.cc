#include "metrics/text_format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace workbind::metrics {
namespace {

void AppendLabels(std::string* out, const Labels& labels) {
  if (labels.empty()) return;
  *out += '{';
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) *out += ',';
    *out += labels[i].first;
    *out += "=\"";
    *out += EscapeLabelValue(labels[i].second);
    *out += '"';
  }
  *out += '}';
}

}  // namespace

std::string EscapeLabelValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof(buf), "%.0f", v);
  else
    // The shortest form that reads back as the same double.
    for (int digits = 15; digits <= 17; ++digits) {
      std::snprintf(buf, sizeof(buf), "%.*g", digits, v);
      if (std::strtod(buf, nullptr) == v) break;
    }
  return buf;
}

void TextWriter::Family(std::string_view name, std::string_view type,
                        std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  out_ += help;
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void TextWriter::Sample(std::string_view name, const Labels& labels,
                        double value) {
  out_ += name;
  AppendLabels(&out_, labels);
  out_ += ' ';
  out_ += FormatValue(value);
  out_ += '\n';
}

void TextWriter::Histogram(std::string_view name, const Labels& labels,
                           const HistogramSnapshot& h) {
  const std::string bucket = std::string(name) + "_bucket";
  for (size_t i = 0; i < h.cumulative.size(); ++i) {
    Labels with_le = labels;
    with_le.emplace_back("le", i < h.bounds.size() ? FormatValue(h.bounds[i])
                                                   : std::string("+Inf"));
    Sample(bucket, with_le, static_cast<double>(h.cumulative[i]));
  }
  Sample(std::string(name) + "_sum", labels, h.sum);
  Sample(std::string(name) + "_count", labels, static_cast<double>(h.count));
}

}  // namespace workbind::metrics
