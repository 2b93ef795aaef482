#pragma once
// libarchive converts entry names between the archive's UTF-8 and the current locale's charset.
// Under the C locale (a daemon, a container) every non-ASCII name fails that conversion: the
// writer then marks headers `hdrcharset=BINARY` (GNU tar warns about it) and the reader warns
// on each such entry. A UTF-8 locale for the current thread only, while an archive is in use,
// makes names pass through as the bytes they are.
#include <locale.h>
#include <clocale>

namespace envbuilder::layers {

class ScopedUtf8Locale {
  public:
    ScopedUtf8Locale() : utf8_(::newlocale(LC_CTYPE_MASK, "C.UTF-8", nullptr)) {
        if (utf8_) previous_ = ::uselocale(utf8_);
    }
    ~ScopedUtf8Locale() {
        if (!utf8_) return;
        ::uselocale(previous_);
        ::freelocale(utf8_);
    }
    ScopedUtf8Locale(const ScopedUtf8Locale&) = delete;
    ScopedUtf8Locale& operator=(const ScopedUtf8Locale&) = delete;

  private:
    locale_t utf8_;
    locale_t previous_ = nullptr;
};

}  // namespace envbuilder::layers
