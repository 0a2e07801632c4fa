#include "ui/i18n.h"

#include <QApplication>
#include <QFontDatabase>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>
#include <memory>

namespace shenbi::ui {

namespace {
std::unique_ptr<QTranslator> g_app;
std::unique_ptr<QTranslator> g_qt;
}  // namespace

QStringList supportedLanguages() {
    return {QStringLiteral("en"), QStringLiteral("zh_CN")};
}

QString applyLanguage(const QString& language) {
    QString lang = language;
    if (lang.isEmpty()) {
        const QLocale sys = QLocale::system();
        lang = sys.language() == QLocale::Chinese ? QStringLiteral("zh_CN") : QStringLiteral("en");
    }
    if (!supportedLanguages().contains(lang)) lang = QStringLiteral("en");
    if (g_app) QCoreApplication::removeTranslator(g_app.get());
    if (g_qt) QCoreApplication::removeTranslator(g_qt.get());
    g_app = std::make_unique<QTranslator>();
    g_qt = std::make_unique<QTranslator>();
    if (g_app->load(QStringLiteral(":/i18n/shenbi_%1.qm").arg(lang))) QCoreApplication::installTranslator(g_app.get());
    if (g_qt->load(QStringLiteral("qtbase_%1").arg(lang), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(g_qt.get());
    QLocale::setDefault(QLocale(lang));
    return lang;
}

void configureFonts() {
    QFont font = QApplication::font();
    QStringList families{font.family()};
    const QStringList installed = QFontDatabase::families();
    for (const QString& f : {QStringLiteral("Noto Sans CJK SC"), QStringLiteral("Noto Sans SC"),
                             QStringLiteral("WenQuanYi Micro Hei"), QStringLiteral("WenQuanYi Zen Hei")}) {
        if (installed.contains(f)) families << f;
    }
    font.setFamilies(families);
    QApplication::setFont(font);
}

}  // namespace shenbi::ui
