// UI language and fonts. Languages: "" (follow the system), "en", "zh_CN".
#pragma once

#include <QString>
#include <QStringList>

namespace shenbi::ui {

// Installs Shenbi's and Qt's own translations for `language` (replacing
// earlier ones). Returns the language actually used.
QString applyLanguage(const QString& language);
QStringList supportedLanguages();  // "en", "zh_CN"

// Puts CJK fonts (Noto Sans CJK SC, WenQuanYi Micro Hei) in the fallback
// chain of the application font so Chinese renders on a bare Debian install.
void configureFonts();

}  // namespace shenbi::ui
