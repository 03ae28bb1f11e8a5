#include "runtime/derive.h"

#include <cstring>

namespace socc::runtime {
namespace {

// Days since 1970-01-01 to a civil date (the inverse of the calendar
// algorithm in timestamp.cpp).
void civil_from_days(int64_t days, int64_t* year, unsigned* month, unsigned* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int64_t>(yoe) + era * 400 + (*month <= 2);
}

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

// ISO 8601 weekday, 1 (Monday) to 7 (Sunday); 1970-01-01 was a Thursday.
int64_t iso_weekday(int64_t days) {
  int64_t w = (days + 3) % 7;
  if (w < 0) w += 7;
  return w + 1;
}

// ISO 8601 week number, 1 to 53: the week (Monday to Sunday) that holds
// the year's first Thursday is week 1.
int64_t iso_week(int64_t days) {
  static constexpr int kDaysBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  int64_t thursday = days - iso_weekday(days) + 4;
  int64_t year;
  unsigned month, day;
  civil_from_days(thursday, &year, &month, &day);
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int64_t day_of_year = kDaysBefore[month - 1] + (month > 2 && leap ? 1 : 0) + (day - 1);
  return day_of_year / 7 + 1;
}

bool is_separator(char c) {
  return c == '\\' || c == '/';
}

}  // namespace

void derive_value(ir::Derive derive, const socc_slot& source, socc_slot* out, std::string* buffer) {
  std::memset(out, 0, sizeof *out);
  if (source.present == 0) return;
  out->present = 1;
  const char* data = source.data;
  size_t size = static_cast<size_t>(source.size);
  switch (derive) {
    case ir::Derive::None:
      *out = source;
      return;
    case ir::Derive::Lower:
    case ir::Derive::Upper: {
      // Only ASCII letters change case, as everywhere in socc.
      buffer->assign(data, size);
      for (char& c : *buffer) {
        if (derive == ir::Derive::Lower && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        if (derive == ir::Derive::Upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      }
      out->data = buffer->data();
      out->size = buffer->size();
      return;
    }
    case ir::Derive::Basename:
    case ir::Derive::Dirname: {
      // Windows and POSIX separators both count: event paths use either.
      size_t cut = size;
      while (cut > 0 && !is_separator(data[cut - 1])) --cut;
      if (derive == ir::Derive::Basename) {
        out->data = data + cut;
        out->size = size - cut;
      } else {
        out->data = data;
        out->size = cut == 0 ? 0 : cut - 1;
      }
      return;
    }
    case ir::Derive::Length:
      out->integer = static_cast<int64_t>(size);
      out->real = static_cast<double>(size);
      return;
    default:
      break;
  }
  // The time functions, in UTC.
  int64_t micros = source.integer;
  int64_t days = floor_div(micros, 86400LL * 1000000);
  int64_t in_day = micros - days * 86400LL * 1000000;
  int64_t year;
  unsigned month, day;
  civil_from_days(days, &year, &month, &day);
  int64_t value = 0;
  switch (derive) {
    case ir::Derive::Year:
      value = year;
      break;
    case ir::Derive::Month:
      value = month;
      break;
    case ir::Derive::Day:
      value = day;
      break;
    case ir::Derive::Hour:
      value = in_day / (3600LL * 1000000);
      break;
    case ir::Derive::Minute:
      value = in_day / (60LL * 1000000) % 60;
      break;
    case ir::Derive::Week:
      value = iso_week(days);
      break;
    case ir::Derive::Weekday:
      value = iso_weekday(days);
      break;
    default:
      break;
  }
  out->integer = value;
  out->real = static_cast<double>(value);
}

Deriver::Deriver(const std::vector<ir::Slot>& slots) {
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].derive == ir::Derive::None) continue;
    derived_.push_back({static_cast<int>(i), slots[i].source, slots[i].derive});
  }
  buffers_.resize(derived_.size());
}

void Deriver::fill(socc_slot* slots) {
  for (size_t i = 0; i < derived_.size(); ++i) {
    const Derived& d = derived_[i];
    derive_value(d.derive, slots[d.source], &slots[d.slot], &buffers_[i]);
  }
}

void set_slot(socc_slot* slot, const ir::Constant& constant) {
  std::memset(slot, 0, sizeof *slot);
  slot->present = 1;
  slot->data = constant.string_value.data();
  slot->size = constant.string_value.size();
  slot->integer = constant.int_value;
  slot->real = constant.float_value;
  slot->boolean = constant.bool_value ? 1 : 0;
  if (constant.type == ir::ValueType::Ip) {
    slot->integer = static_cast<int64_t>(constant.ip_hi);
    slot->low = constant.ip_lo;
  }
}

}  // namespace socc::runtime
