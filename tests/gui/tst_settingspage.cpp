// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/localization.h"
#include "core/settingsstore.h"
#include "gui/common/messagebox.h"
#include "gui/settings/accesskeydialog.h"
#include "gui/settings/accesskeymodel.h"
#include "gui/settings/accesskeyspanel.h"
#include "gui/settings/connectpanel.h"
#include "gui/settings/settingsform.h"
#include "gui/settings/settingslanguage.h"
#include "gui/settings/settingspage.h"
#include "guifixture.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using RowState = SettingsForm::RowState;

namespace {

QLineEdit *lineEdit(SettingsForm *form, const QString &key)
{
    return qobject_cast<QLineEdit *>(form->editor(key));
}

/// Types a value and presses Enter, as a user would.
void type(SettingsForm *form, const QString &key, const QString &text)
{
    QLineEdit *edit = lineEdit(form, key);
    QVERIFY(edit);
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, text);
    QTest::keyClick(edit, Qt::Key_Return);
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

} // namespace

class TestSettingsPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void changesAreSavedAndShown();
    void invalidValuesAreRefusedInline();
    void portChangeRestartsTheGateway();
    void languageSwitchRetranslates();
    void accessKeyShownOnceAndStoredHashed();
    void revokeAsksFirst();
    void connectClaudeCodeWritesBacksUpAndUndoes();
    void connectRefusesInvalidJson();
    void startAtLoginWritesTheAutostartEntry();

private:
    QTemporaryDir m_home;
};

void TestSettingsPage::initTestCase()
{
    // Claude Code's settings and the autostart entry go to a temporary home.
    QVERIFY(m_home.isValid());
    qputenv("HOME", m_home.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", m_home.filePath(u".config"_s).toUtf8());
}

void TestSettingsPage::changesAreSavedAndShown()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    SettingsPage page(fixture.facade());
    page.show();
    SettingsForm *form = page.gatewayForm();

    type(form, SettingKeys::stickyTtl, u"15"_s);
    QTRY_COMPARE(form->state(SettingKeys::stickyTtl), RowState::Saved);
    QCOMPARE(page.findChild<QLabel *>(u"status_"_s + SettingKeys::stickyTtl)->text(), u"✔ Saved"_s);
    QCOMPARE(fixture.stores().settings().load()->stickyTtlMinutes(), 15);
    QCOMPARE(fixture.facade().settings().stickyTtlMinutes(), 15);

    auto *strategy = qobject_cast<QComboBox *>(form->editor(SettingKeys::strategy));
    QVERIFY(strategy);
    QCOMPARE(strategy->count(), 4);
    QCOMPARE(strategy->currentText(), u"Priority"_s);
    const int weighted = strategy->findData(u"weighted"_s);
    QCOMPARE(strategy->itemText(weighted), u"Weighted"_s);
    strategy->setCurrentIndex(weighted);
    Q_EMIT strategy->activated(weighted);
    QTRY_COMPARE(form->state(SettingKeys::strategy), RowState::Saved);
    QCOMPARE(fixture.stores().settings().load()->strategy(), u"weighted"_s);

    auto *debug = qobject_cast<QCheckBox *>(form->editor(SettingKeys::debugLogging));
    QVERIFY(debug);
    auto *note = page.findChild<QLabel *>(u"debugNote"_s);
    QVERIFY(!note->text().startsWith(u"⚠"_s));
    debug->click();
    QTRY_COMPARE(form->state(SettingKeys::debugLogging), RowState::Saved);
    QCOMPARE(fixture.stores().settings().load()->debugLogging(), true);
    QTRY_VERIFY(note->text().startsWith(u"⚠"_s));
    QVERIFY(note->text().contains(u"masked"_s));

    auto *closeToTray = qobject_cast<QCheckBox *>(page.appForm()->editor(SettingKeys::closeToTray));
    QVERIFY(closeToTray->isChecked());
    closeToTray->click();
    QTRY_COMPARE(page.appForm()->state(SettingKeys::closeToTray), RowState::Saved);
    QCOMPARE(fixture.stores().settings().load()->closeToTray(), false);
}

void TestSettingsPage::invalidValuesAreRefusedInline()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    SettingsPage page(fixture.facade());
    page.show();
    SettingsForm *form = page.gatewayForm();
    const int before = fixture.facade().settings().listenPort();

    type(form, SettingKeys::listenPort, u"70000"_s);
    QCOMPARE(form->state(SettingKeys::listenPort), RowState::Invalid);
    auto *error = page.findChild<QLabel *>(u"error_"_s + SettingKeys::listenPort);
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), u"Enter a whole number from 1 to 65535. This value was not saved."_s);
    // Not clamped, not saved: the field keeps what was typed so it can be fixed.
    QCOMPARE(lineEdit(form, SettingKeys::listenPort)->text(), u"70000"_s);
    // Refused before anything is sent: there is nothing to wait for.
    QCOMPARE(fixture.stores().settings().load()->listenPort(), before);

    type(form, SettingKeys::errorThreshold, u"three"_s);
    QCOMPARE(form->state(SettingKeys::errorThreshold), RowState::Invalid);
    QVERIFY(form->error(SettingKeys::errorThreshold).contains(u"from 1 to 100"_s));

    type(form, SettingKeys::listenAddress, u"localhost:80"_s);
    QCOMPARE(form->state(SettingKeys::listenAddress), RowState::Invalid);
    QVERIFY(form->error(SettingKeys::listenAddress).contains(u"127.0.0.1"_s));

    type(form, SettingKeys::allowedOrigins, u"ftp://x"_s);
    QCOMPARE(form->state(SettingKeys::allowedOrigins), RowState::Invalid);
    QCOMPARE(fixture.stores().settings().load()->allowedOrigins(), QStringList());

    // Fixing the value saves it and clears the message.
    type(form, SettingKeys::errorThreshold, u"5"_s);
    QTRY_COMPARE(form->state(SettingKeys::errorThreshold), RowState::Saved);
    QVERIFY(!page.findChild<QLabel *>(u"error_"_s + SettingKeys::errorThreshold)->isVisible());
    QCOMPARE(fixture.stores().settings().load()->errorThreshold(), 5);
}

void TestSettingsPage::portChangeRestartsTheGateway()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    SettingsPage page(fixture.facade());
    page.show();
    auto *endpoint = page.findChild<QLabel *>(u"endpointState"_s);
    QVERIFY(endpoint->text().contains(fixture.facade().endpointUrl()));

    const quint16 port = freePort();
    type(page.gatewayForm(), SettingKeys::listenPort, QString::number(port));
    QTRY_COMPARE(fixture.facade().endpointUrl(), u"http://127.0.0.1:%1"_s.arg(port));
    QTRY_COMPARE(endpoint->text(), u"✔ Running at http://127.0.0.1:%1"_s.arg(port));

    // A busy port: the page says so and what to do.
    QTcpServer busy;
    QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
    type(page.gatewayForm(), SettingKeys::listenPort, QString::number(busy.serverPort()));
    QTRY_COMPARE(fixture.facade().gatewayState(), RuntimeFacade::GatewayState::Failed);
    QTRY_VERIFY2(endpoint->text().contains(u"choose another one"_s), qPrintable(endpoint->text()));
    // The advice is given once, not repeated by the page.
    QCOMPARE(endpoint->text().count(u"choose another"_s, Qt::CaseInsensitive), 1);
}

void TestSettingsPage::languageSwitchRetranslates()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    SettingsLanguage language(fixture.facade());
    SettingsPage page(fixture.facade());
    page.show();
    SettingsForm *form = page.appForm();
    auto *combo = qobject_cast<QComboBox *>(form->editor(SettingKeys::language));
    QVERIFY(combo);
    QCOMPARE(combo->count(), 5);
    QCOMPARE(combo->itemText(combo->findData(u"zh_CN"_s)), u"简体中文"_s);
    QCOMPARE(combo->itemText(combo->findData(u"zh_TW"_s)), u"繁體中文"_s);
    QCOMPARE(combo->itemText(combo->findData(u"ja"_s)), u"日本語"_s);
    QCOMPARE(combo->itemText(combo->findData(u"en"_s)), u"English"_s);
    const QList<QLabel *> description
        = form->editor(SettingKeys::language)->parentWidget()->findChildren<QLabel *>();
    auto languageText = [&description] {
        QStringList texts;
        for (QLabel *l : description)
            texts << l->text();
        return texts;
    };
    QVERIFY(languageText().contains(u"Language of the window"_s));

    const int zh = combo->findData(u"zh_CN"_s);
    combo->setCurrentIndex(zh);
    Q_EMIT combo->activated(zh);
    QTRY_COMPARE(Localization::current(), u"zh_CN"_s);
    QTRY_VERIFY2(languageText().contains(u"窗口界面语言"_s), qPrintable(languageText().join(u'|')));
    QCOMPARE(fixture.stores().settings().load()->language(), u"zh_CN"_s);
    // Language names stay in their own language; the choice survives the retranslation.
    QCOMPARE(combo->itemText(combo->findData(u"en"_s)), u"English"_s);
    QCOMPARE(combo->currentData().toString(), u"zh_CN"_s);

    const int en = combo->findData(u"en"_s);
    combo->setCurrentIndex(en);
    Q_EMIT combo->activated(en);
    QTRY_COMPARE(Localization::current(), u"en"_s);
    QTRY_VERIFY(languageText().contains(u"Language of the window"_s));
}

void TestSettingsPage::accessKeyShownOnceAndStoredHashed()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    SettingsPage page(fixture.facade());
    page.show();
    AccessKeyDialog *dialog = page.createAccessKey();
    QVERIFY(dialog);
    QCOMPARE(page.currentSection(), SettingsPage::Section::AccessKeys);
    QVERIFY(dialog->isVisible());
    QVERIFY(!dialog->isShowingKey());

    // No name: said inline, nothing created.
    auto *name = dialog->findChild<QLineEdit *>(u"nameEdit"_s);
    name->clear();
    dialog->findChild<QPushButton *>(u"createButton"_s)->click();
    QVERIFY(dialog->findChild<QLabel *>(u"nameError"_s)->text().contains(u"Enter a name"_s));
    QVERIFY(!dialog->isShowingKey());

    QTest::keyClicks(name, u"laptop"_s);
    dialog->findChild<QPushButton *>(u"createButton"_s)->click();
    QTRY_VERIFY(dialog->isShowingKey());
    const QString plaintext = dialog->plaintext();
    QVERIFY(plaintext.startsWith(u"sbk_"_s));
    QCOMPARE(dialog->findChild<QLineEdit *>(u"keyEdit"_s)->text(), plaintext);
    QVERIFY(dialog->findChild<QLabel *>(u"onceWarning"_s)->text().contains(u"only time"_s));
    dialog->findChild<QPushButton *>(u"copyButton"_s)->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), plaintext);

    // Stored hashed: the database knows the hash and the prefix, never the key.
    auto keys = fixture.stores().accessKeys().list();
    QVERIFY(keys);
    QCOMPARE(keys->size(), 1);
    QCOMPARE(keys->first().name, u"laptop"_s);
    QCOMPARE(keys->first().hash, AccessKeyStore::hashKey(plaintext));
    QVERIFY(!keys->first().hash.contains(plaintext.toUtf8()));
    QVERIFY(plaintext.startsWith(keys->first().prefix));
    QVERIFY(fixture.stores().accessKeys().verify(plaintext));

    // Listed without the key.
    QTRY_COMPARE(page.accessKeysPanel()->model()->rowCount(), 1);
    AccessKeyModel *model = page.accessKeysPanel()->model();
    QCOMPARE(model->index(0, AccessKeyModel::Name).data().toString(), u"laptop"_s);
    QVERIFY(!model->index(0, AccessKeyModel::Prefix).data().toString().contains(plaintext));
    QCOMPARE(model->index(0, AccessKeyModel::State).data().toString(), u"Active"_s);
    QCOMPARE(model->index(0, AccessKeyModel::LastUsed).data().toString(), u"Never"_s);

    // The connect section uses the key created in this session.
    QCOMPARE(page.connectPanel()->line(1), u"export ANTHROPIC_AUTH_TOKEN="_s + plaintext);

    QPointer<AccessKeyDialog> closing = dialog;
    dialog->findChild<QPushButton *>(u"doneButton"_s)->click();
    QTRY_VERIFY(!closing); // deleted on close: the key is gone from the window
}

void TestSettingsPage::revokeAsksFirst()
{
    GuiFixture fixture;
    auto created = fixture.stores().accessKeys().create(u"old client"_s);
    QVERIFY(created);
    QVERIFY(fixture.start());
    SettingsPage page(fixture.facade());
    page.showSection(SettingsPage::Section::AccessKeys);
    page.show();
    AccessKeysPanel *panel = page.accessKeysPanel();
    QTRY_COMPARE(panel->model()->rowCount(), 1);

    MessageBox::setNextAnswer(QMessageBox::Cancel);
    panel->revokeRow(0);
    QVERIFY(MessageBox::lastText().contains(u"\"old client\""_s));
    // Cancel asks the runtime for nothing: there is nothing to wait for.
    QVERIFY(!fixture.stores().accessKeys().list()->first().isRevoked());

    panel->table()->selectRow(0);
    auto *revoke = panel->findChild<QPushButton *>(u"revokeKeyButton"_s);
    QVERIFY(revoke->isEnabled());
    MessageBox::setNextAnswer(QMessageBox::Yes);
    revoke->click();
    QTRY_VERIFY(fixture.facade().accessKeys().first().isRevoked());
    QVERIFY(fixture.stores().accessKeys().list()->first().isRevoked());
    QVERIFY(!fixture.stores().accessKeys().verify(created->plaintext));
    QTRY_VERIFY(
        panel->model()->index(0, AccessKeyModel::State).data().toString().startsWith(u"Revoked"_s));
    QVERIFY(!revoke->isEnabled());
    QCOMPARE(panel->findChild<QLabel *>(u"accessKeysMessage"_s)->text(),
             u"Revoked \"old client\"."_s);
}

void TestSettingsPage::connectClaudeCodeWritesBacksUpAndUndoes()
{
    const QString path = m_home.filePath(u".claude/settings.json"_s);
    QDir().mkpath(QFileInfo(path).absolutePath());
    const QByteArray original
        = "{\n    \"model\": \"sonnet\",\n    \"env\": {\"DISABLE_TELEMETRY\": \"1\"}\n}\n";
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(original);
    }
    GuiFixture fixture;
    QVERIFY(fixture.start());
    SettingsPage page(fixture.facade());
    ConnectPanel *panel = page.showConnect();
    QCOMPARE(page.currentSection(), SettingsPage::Section::Connect);
    page.show();
    const QString url = fixture.facade().endpointUrl();
    QCOMPARE(panel->settingsPath(), path);
    QCOMPARE(panel->line(0), u"export ANTHROPIC_BASE_URL="_s + url);
    QCOMPARE(panel->line(1), u"export ANTHROPIC_AUTH_TOKEN=<your access key>"_s);
    panel->setShell(ConnectPanel::Shell::PowerShell);
    QCOMPARE(panel->line(0), u"$env:ANTHROPIC_BASE_URL=\"%1\""_s.arg(url));
    panel->setShell(ConnectPanel::Shell::Posix);
    auto *write = panel->findChild<QPushButton *>(u"writeClaudeSettings"_s);
    QVERIFY(!write->isEnabled()); // needs the key itself
    QVERIFY(write->text().contains(u"~/.claude/settings.json"_s));
    QTRY_VERIFY(
        panel->findChild<QLabel *>(u"connectStatus"_s)->text().contains(u"not connected"_s));

    // "Create a key for Claude Code" opens the key dialog with a name filled in.
    panel->findChild<QPushButton *>(u"createKeyForClaude"_s)->click();
    auto *dialog = page.findChild<AccessKeyDialog *>();
    QVERIFY(dialog);
    QCOMPARE(dialog->findChild<QLineEdit *>(u"nameEdit"_s)->text(), u"Claude Code"_s);
    dialog->findChild<QPushButton *>(u"createButton"_s)->click();
    QTRY_VERIFY(dialog->isShowingKey());
    const QString key = dialog->plaintext();
    dialog->accept();
    QCOMPARE(panel->line(1), u"export ANTHROPIC_AUTH_TOKEN="_s + key);
    QVERIFY(write->isEnabled());

    write->click();
    QTRY_VERIFY(panel->canUndo());
    QTRY_VERIFY(panel->isConnected());
    const QJsonObject root = QJsonDocument::fromJson(readAll(path)).object();
    QCOMPARE(root.value(u"model"_s).toString(), u"sonnet"_s);
    const QJsonObject env = root.value(u"env"_s).toObject();
    QCOMPARE(env.value(u"DISABLE_TELEMETRY"_s).toString(), u"1"_s);
    QCOMPARE(env.value(u"ANTHROPIC_BASE_URL"_s).toString(), url);
    QCOMPARE(env.value(u"ANTHROPIC_AUTH_TOKEN"_s).toString(), key);
    QCOMPARE(readAll(path + u".switchboard.bak"_s), original);
    QVERIFY(
        panel->findChild<QLabel *>(u"connectMessage"_s)->text().contains(u".switchboard.bak"_s));
    QTRY_VERIFY(panel->findChild<QLabel *>(u"connectStatus"_s)->text().contains(u"is connected"_s));
    auto *undo = panel->findChild<QPushButton *>(u"undoClaudeSettings"_s);
    QVERIFY(undo->isVisible());

    undo->click();
    QTRY_VERIFY(!panel->canUndo());
    QCOMPARE(readAll(path), original);
    QTRY_VERIFY(!panel->isConnected());
    QVERIFY(!undo->isVisible());
    QFile::remove(path + u".switchboard.bak"_s);
}

void TestSettingsPage::connectRefusesInvalidJson()
{
    const QString path = m_home.filePath(u".claude/settings.json"_s);
    QDir().mkpath(QFileInfo(path).absolutePath());
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ broken");
    }
    GuiFixture fixture;
    QVERIFY(fixture.start());
    SettingsPage page(fixture.facade());
    ConnectPanel *panel = page.showConnect();
    page.show();
    QTRY_VERIFY(
        panel->findChild<QLabel *>(u"connectStatus"_s)->text().contains(u"not valid JSON"_s));
    NewAccessKey key;
    key.key.name = u"Claude Code"_s;
    key.plaintext = u"sbk_fake"_s;
    panel->setAccessKey(key);
    panel->writeSettings();
    auto *message = panel->findChild<QLabel *>(u"connectMessage"_s);
    QTRY_VERIFY(message->text().contains(u"Fix the file or move it away"_s));
    QCOMPARE(readAll(path), QByteArray("{ broken"));
    QVERIFY(!panel->canUndo());
    QFile::remove(path);
}

void TestSettingsPage::startAtLoginWritesTheAutostartEntry()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    SettingsPage page(fixture.facade());
    page.showSection(SettingsPage::Section::App);
    page.show();
    const QString entry = m_home.filePath(u".config/autostart/switchboard.desktop"_s);
    QVERIFY(!QFile::exists(entry));
    auto *check = qobject_cast<QCheckBox *>(page.appForm()->editor(SettingKeys::startAtLogin));
    check->click();
    QTRY_VERIFY(QFile::exists(entry));
    QCOMPARE(fixture.stores().settings().load()->startAtLogin(), true);
    const QString content = QString::fromUtf8(readAll(entry));
    QVERIFY(content.contains(u"Exec="_s + QCoreApplication::applicationFilePath()));
    QVERIFY(content.startsWith(u"[Desktop Entry]"_s));
    check->click();
    QTRY_VERIFY(!QFile::exists(entry));
    QCOMPARE(fixture.stores().settings().load()->startAtLogin(), false);
}

QTEST_MAIN(TestSettingsPage)
#include "tst_settingspage.moc"
