#include "ui/widgets/paramspanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLineEdit>
#include <QRandomGenerator>
#include <QSettings>
#include <QSpinBox>
#include <QToolButton>
#include <QValidator>
#include <algorithm>

#include "core/model/config.h"
#include "core/sampling/generate.h"

namespace shenbi::ui {

namespace {

// Digits that fit in 64 bits: a 20-digit number over 2^64 - 1 would be read as 0.
class SeedValidator : public QValidator {
public:
    using QValidator::QValidator;
    State validate(QString& input, int&) const override {
        if (input.isEmpty()) return Intermediate;
        for (const QChar c : input)
            if (!c.isDigit() || c.unicode() > '9') return Invalid;
        bool ok = false;
        input.toULongLong(&ok);
        return ok ? Acceptable : Invalid;
    }
};

// A guidance that may be left to Guidance: 0 shows `asGuidance`; values below
// a guidance scale are read as 0 (layoutGuidance(), colourGuidance()).
QDoubleSpinBox* guidanceOrZeroBox(QWidget* parent,
                                  const QString& name,
                                  const QString& prefix,
                                  const QString& asGuidance,
                                  const QString& toolTip) {
    auto* box = new QDoubleSpinBox(parent);
    box->setObjectName(name);
    box->setRange(0, kGuidanceMax);
    box->setSingleStep(0.5);
    box->setValue(0);
    box->setPrefix(prefix);
    box->setSpecialValueText(asGuidance);
    box->setToolTip(toolTip);
    return box;
}

// Guidance scales start at 1 (off): a value typed below it means "as Guidance".
double guidanceOrZero(const QDoubleSpinBox* box) {
    return box->value() < kGuidanceMin ? 0.0 : box->value();
}

}  // namespace

ParamsPanel::ParamsPanel(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("paramsPanel"));
    auto* form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_candidates = new QSpinBox(this);
    m_candidates->setObjectName(QStringLiteral("candidates"));
    m_candidates->setRange(1, 16);
    m_candidates->setValue(4);
    m_candidates->setCorrectionMode(QAbstractSpinBox::CorrectToNearestValue);
    m_candidates->setToolTip(tr("Images sampled together in one batch for each request."));
    form->addRow(tr("Candidates"), m_candidates);

    auto* seedRow = new QHBoxLayout;
    m_seed = new QLineEdit(this);
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seed->setValidator(new SeedValidator(m_seed));
    // room for the 20 digits of the largest seed
    m_seed->setMinimumWidth(m_seed->fontMetrics().horizontalAdvance(QString(20, QLatin1Char('8'))) + 12);
    m_seed->setToolTip(tr("Candidate i uses a seed derived from this one, so a request is reproducible."));
    m_dice = new QToolButton(this);
    m_dice->setIcon(QIcon(QStringLiteral(":/icons/dice.svg")));  // no emoji font on a bare Debian
    m_dice->setToolTip(tr("New random seed"));
    m_lock = new QToolButton(this);
    m_lock->setObjectName(QStringLiteral("seedLock"));
    m_lock->setCheckable(true);
    m_lock->setText(tr("Fixed"));
    m_lock->setToolTip(tr("Keep this seed for every request (otherwise a new one is drawn each time)."));
    m_reuse = new QToolButton(this);
    m_reuse->setText(QStringLiteral("♻"));
    m_reuse->setToolTip(tr("Reuse the seed of the last request"));
    seedRow->addWidget(m_seed, 1);
    seedRow->addWidget(m_dice);
    seedRow->addWidget(m_lock);
    seedRow->addWidget(m_reuse);
    form->addRow(tr("Seed"), seedRow);
    connect(m_dice, &QToolButton::clicked, this, &ParamsPanel::rollSeed);
    connect(m_reuse, &QToolButton::clicked, this, [this]() { setSeed(m_lastSeed, true); });

    m_temperature = new QDoubleSpinBox(this);
    m_temperature->setObjectName(QStringLiteral("temperature"));
    m_temperature->setRange(0.05, 3.0);
    m_temperature->setSingleStep(0.05);
    m_temperature->setValue(1.0);
    m_temperature->setToolTip(tr("Lower: safer, more repetitive images. Higher: more varied, noisier."));
    form->addRow(tr("Temperature"), m_temperature);

    m_topK = new QSpinBox(this);
    m_topK->setObjectName(QStringLiteral("topK"));
    m_topK->setRange(0, 16384);
    m_topK->setValue(100);
    m_topK->setSpecialValueText(tr("off"));
    m_topK->setToolTip(tr("Sample each image token among the k most likely codes (0 = all)."));
    form->addRow(tr("Top-k"), m_topK);

    m_topP = new QDoubleSpinBox(this);
    m_topP->setObjectName(QStringLiteral("topP"));
    m_topP->setRange(0.05, 1.0);
    m_topP->setSingleStep(0.05);
    m_topP->setValue(1.0);
    m_topP->setToolTip(tr("Nucleus sampling: the smallest set of codes whose probability reaches p (1 = off)."));
    form->addRow(tr("Top-p"), m_topP);

    m_guidance = new QDoubleSpinBox(this);
    m_guidance->setObjectName(QStringLiteral("guidance"));
    m_guidance->setRange(kGuidanceMin, kGuidanceMax);
    m_guidance->setSingleStep(0.5);
    m_guidance->setValue(1.0);
    m_guidance->setSpecialValueText(tr("off"));
    m_guidance->setToolTip(
        tr("Classifier-free guidance: how much more closely the images follow the prompt than an empty one. "
           "Higher: closer to the prompt, less varied; 1 = off. Costs a second pass per token."));
    m_colourGuidance = guidanceOrZeroBox(
        this, QStringLiteral("colourGuidance"), tr("colours "), tr("colours as guidance"),
        tr("Guidance for the colours the prompt gives its objects, apart from the rest: where it colours one "
           "(一辆橙色的汽车), one more pass reads it without the colour (一辆汽车). Above Guidance the colours are "
           "followed more closely, and the objects drawn less well; below it less. Each part of a planned layout "
           "is read apart on its own. Costs a pass per coloured prompt."));
    // On the Guidance row: it is guidance too, for the colour words (a row
    // of its own would lengthen the panel past small screens).
    auto* guidanceRow = new QHBoxLayout;
    guidanceRow->addWidget(m_guidance);  // a number: the rest is for "colours as guidance"
    guidanceRow->addWidget(m_colourGuidance, 1);
    form->addRow(tr("Guidance"), guidanceRow);

    m_negative = new QLineEdit(this);
    m_negative->setObjectName(QStringLiteral("negativePrompt"));
    m_negative->setClearButtonEnabled(true);
    m_negative->setPlaceholderText(tr("e.g. 红色"));
    form->addRow(tr("Negative"), m_negative);

    m_bestOf = new QSpinBox(this);
    m_bestOf->setObjectName(QStringLiteral("bestOf"));
    m_bestOf->setRange(1, kBestOfMax);
    m_bestOf->setValue(1);
    m_bestOf->setSpecialValueText(tr("off"));
    m_bestOf->setToolTip(
        tr("Sample this many images per candidate and keep those the model is surest of given the prompt. "
           "Slower by the same factor; 1 = off."));
    form->addRow(tr("Best of"), m_bestOf);

    m_layout = new QCheckBox(tr("Plan the layout"), this);
    m_layout->setObjectName(QStringLiteral("layout"));
    m_layout->setToolTip(
        tr("Draw each object the prompt names in its own part of the picture: 一只猫和一条狗 draws the cat on the "
           "left and the dog on the right, 一个苹果在一只熊猫的上面 the apple in the top half. A prompt with one "
           "object (三把伞 too) is drawn whole. Each part costs a pass: generating takes longer."));

    m_layoutGuidance = guidanceOrZeroBox(
        this, QStringLiteral("layoutGuidance"), tr("guidance "), tr("guidance as above"),
        tr("Guidance for a picture drawn in parts (a planned layout, or Draw in parts…) instead of Guidance: "
           "each part is one object in its place, which a stronger pull towards its prompt draws more often. "
           "The bundled model recommends 3."));
    // On the checkbox's row: it is the guidance of the parts the checkbox plans
    // (a row of its own widened the panel past small screens).
    auto* layoutRow = new QHBoxLayout;
    layoutRow->addWidget(m_layout);
    layoutRow->addWidget(m_layoutGuidance, 1);
    form->addRow(QString(), layoutRow);

    m_knowledge = new QCheckBox(tr("Use the knowledge graph"), this);
    m_knowledge->setObjectName(QStringLiteral("knowledge"));
    m_knowledge->setChecked(true);
    m_knowledge->setToolTip(tr("Feed the linked entities' TransE vectors to the model (ARTIST)."));
    form->addRow(QString(), m_knowledge);

    m_fusion = new QComboBox(this);
    m_fusion->setObjectName(QStringLiteral("fusion"));
    m_fusion->setEnabled(false);
    m_fusion->setToolTip(tr("How entity vectors reach the GPT; fixed by the loaded model."));
    form->addRow(tr("Fusion"), m_fusion);

    for (auto* w :
         {static_cast<QWidget*>(m_candidates), static_cast<QWidget*>(m_temperature), static_cast<QWidget*>(m_topK),
          static_cast<QWidget*>(m_topP), static_cast<QWidget*>(m_guidance), static_cast<QWidget*>(m_bestOf),
          static_cast<QWidget*>(m_layoutGuidance), static_cast<QWidget*>(m_colourGuidance)})
        w->setMinimumWidth(90);
    connect(m_candidates, &QSpinBox::valueChanged, this, &ParamsPanel::boundBestOf);
    connect(m_candidates, &QSpinBox::valueChanged, this, &ParamsPanel::changed);
    connect(m_bestOf, &QSpinBox::valueChanged, this, &ParamsPanel::changed);
    connect(m_temperature, &QDoubleSpinBox::valueChanged, this, &ParamsPanel::changed);
    connect(m_topK, &QSpinBox::valueChanged, this, &ParamsPanel::changed);
    connect(m_topP, &QDoubleSpinBox::valueChanged, this, &ParamsPanel::changed);
    connect(m_guidance, &QDoubleSpinBox::valueChanged, this, &ParamsPanel::changed);
    connect(m_guidance, &QDoubleSpinBox::valueChanged, this, &ParamsPanel::enableNegative);
    connect(m_negative, &QLineEdit::textChanged, this, &ParamsPanel::changed);
    enableNegative();
    connect(m_knowledge, &QCheckBox::toggled, this, &ParamsPanel::changed);
    connect(m_layout, &QCheckBox::toggled, this, &ParamsPanel::changed);
    connect(m_layoutGuidance, &QDoubleSpinBox::valueChanged, this, &ParamsPanel::changed);
    connect(m_colourGuidance, &QDoubleSpinBox::valueChanged, this, &ParamsPanel::changed);
    boundBestOf();
    rollSeed();
}

// generate() samples candidates x best-of images in one batch, at most kMaxSampledRows.
void ParamsPanel::boundBestOf() {
    m_bestOf->setMaximum(std::clamp(kMaxSampledRows / m_candidates->value(), 1, kBestOfMax));
}

// Guidance is what steers away from the negative prompt: without it the
// field would do nothing, so it is greyed out (its text kept) and says why.
void ParamsPanel::enableNegative() {
    const bool on = m_guidance->value() > 1.0;
    m_negative->setEnabled(on);
    m_negative->setToolTip(
        on ? tr("What the images should not show: guidance steers away from this prompt instead of an empty one, "
                "e.g. 红色 (the bundled model draws a single object in its usual colour about half as often).")
           : tr("A negative prompt needs guidance above 1 (off): guidance is what steers away from it."));
}

QString ParamsPanel::negativePrompt() const {
    return m_negative->text().simplified();
}

void ParamsPanel::rollSeed() {
    // 53 bits: exact in JSON numbers of other tools that read our records.
    m_seed->setText(QString::number(QRandomGenerator::global()->generate64() & ((quint64(1) << 53) - 1)));
}

quint64 ParamsPanel::seed() const {
    return m_seed->text().toULongLong();
}
bool ParamsPanel::seedLocked() const {
    return m_lock->isChecked();
}
int ParamsPanel::candidates() const {
    return m_candidates->value();
}

void ParamsPanel::setSeed(quint64 seed, bool lock) {
    m_seed->setText(QString::number(seed));
    if (lock) m_lock->setChecked(true);
}

GenerationRequest ParamsPanel::takeRequest(const QString& prompt) {
    if (!seedLocked() || m_seed->text().isEmpty()) rollSeed();
    GenerationRequest r;
    r.prompt = prompt;
    if (!m_candidates->hasAcceptableInput()) {
        // "0" or "" typed and not yet committed: use, and show, the nearest allowed value
        // instead of silently keeping the previous one.
        m_candidates->setValue(
            std::clamp(m_candidates->text().toInt(), m_candidates->minimum(), m_candidates->maximum()));
    }
    r.candidates = m_candidates->value();
    r.seed = seed();
    r.temperature = m_temperature->value();
    r.topK = m_topK->value();
    r.topP = m_topP->value();
    r.guidance = m_guidance->value();
    if (m_guidance->value() > 1.0) r.negativePrompt = negativePrompt();
    r.bestOf = m_bestOf->value();
    r.layout = m_layout->isChecked();
    r.layoutGuidance = layoutGuidance();
    r.colourGuidance = colourGuidance();
    r.useKnowledge = m_knowledge->isChecked();
    r.fusion = m_fusion->currentText();
    m_lastSeed = r.seed;
    return r;
}

void ParamsPanel::apply(const GenerationRequest& r, bool withSeed) {
    m_candidates->setValue(std::clamp(r.candidates, 1, 16));
    m_temperature->setValue(r.temperature);
    m_topK->setValue(r.topK);
    m_topP->setValue(r.topP);
    m_guidance->setValue(r.guidance);
    m_negative->setText(r.negativePrompt);
    m_bestOf->setValue(r.bestOf);
    m_layout->setChecked(r.layout);
    m_layoutGuidance->setValue(r.layoutGuidance);
    m_colourGuidance->setValue(r.colourGuidance);
    m_knowledge->setChecked(r.useKnowledge);
    if (withSeed) setSeed(r.seed, true);
}

bool ParamsPanel::planLayout() const {
    return m_layout->isChecked();
}

double ParamsPanel::layoutGuidance() const {
    return guidanceOrZero(m_layoutGuidance);
}

double ParamsPanel::colourGuidance() const {
    return guidanceOrZero(m_colourGuidance);
}

void ParamsPanel::setModelInfo(const ModelInfo& info) {
    m_fusion->clear();
    m_fusion->addItem(info.fusion.isEmpty() ? tr("none") : info.fusion);
    m_knowledge->setEnabled(info.hasEntities || info.fusion != QStringLiteral("None"));
    if (info.hasRecommendedSampling) {
        // A model that needs other sampling than the defaults (e.g. the small
        // bundled one, which falls apart at top-k 100) says so in model.json.
        m_topK->setValue(info.recommendedTopK);
        m_topP->setValue(info.recommendedTopP);
        m_temperature->setValue(info.recommendedTemperature);
        m_guidance->setValue(info.recommendedGuidance);
        m_bestOf->setValue(info.recommendedBestOf);
        m_layout->setChecked(info.recommendedLayout);
        m_layoutGuidance->setValue(info.recommendedLayoutGuidance);
        m_colourGuidance->setValue(info.recommendedColourGuidance);
        const QString why = tr("Recommended by the model %1").arg(info.id);
        for (QWidget* w :
             {static_cast<QWidget*>(m_topK), static_cast<QWidget*>(m_topP), static_cast<QWidget*>(m_temperature),
              static_cast<QWidget*>(m_guidance), static_cast<QWidget*>(m_bestOf), static_cast<QWidget*>(m_layout),
              static_cast<QWidget*>(m_layoutGuidance), static_cast<QWidget*>(m_colourGuidance)})
            w->setStatusTip(why);
    }
}

void ParamsPanel::saveSettings() const {
    QSettings s;
    s.beginGroup(QStringLiteral("params"));
    s.setValue(QStringLiteral("candidates"), m_candidates->value());
    s.setValue(QStringLiteral("seed"), m_seed->text());
    s.setValue(QStringLiteral("seedLocked"), m_lock->isChecked());
    s.setValue(QStringLiteral("temperature"), m_temperature->value());
    s.setValue(QStringLiteral("topK"), m_topK->value());
    s.setValue(QStringLiteral("topP"), m_topP->value());
    s.setValue(QStringLiteral("guidance"), m_guidance->value());
    s.setValue(QStringLiteral("negativePrompt"), m_negative->text());
    s.setValue(QStringLiteral("bestOf"), m_bestOf->value());
    s.setValue(QStringLiteral("knowledge"), m_knowledge->isChecked());
    s.setValue(QStringLiteral("layout"), m_layout->isChecked());
    s.setValue(QStringLiteral("layoutGuidance"), layoutGuidance());
    s.setValue(QStringLiteral("colourGuidance"), colourGuidance());
    s.endGroup();
}

void ParamsPanel::restoreSettings() {
    QSettings s;
    s.beginGroup(QStringLiteral("params"));
    m_candidates->setValue(s.value(QStringLiteral("candidates"), 4).toInt());
    m_lock->setChecked(s.value(QStringLiteral("seedLocked"), false).toBool());
    const QString seed = s.value(QStringLiteral("seed")).toString();
    if (!seed.isEmpty()) m_seed->setText(seed);
    m_temperature->setValue(s.value(QStringLiteral("temperature"), 1.0).toDouble());
    m_topK->setValue(s.value(QStringLiteral("topK"), 100).toInt());
    m_topP->setValue(s.value(QStringLiteral("topP"), 1.0).toDouble());
    m_guidance->setValue(s.value(QStringLiteral("guidance"), 1.0).toDouble());
    m_negative->setText(s.value(QStringLiteral("negativePrompt")).toString());
    m_bestOf->setValue(s.value(QStringLiteral("bestOf"), 1).toInt());
    m_knowledge->setChecked(s.value(QStringLiteral("knowledge"), true).toBool());
    m_layout->setChecked(s.value(QStringLiteral("layout"), false).toBool());
    m_layoutGuidance->setValue(s.value(QStringLiteral("layoutGuidance"), 0.0).toDouble());
    m_colourGuidance->setValue(s.value(QStringLiteral("colourGuidance"), 0.0).toDouble());
    s.endGroup();
}

}  // namespace shenbi::ui
