<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CallbacksPanel</name>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="64"/>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="64"/>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="64"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="64"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="64"/>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="72"/>
        <source>No callbacks due this week.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="76"/>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="78"/>
        <source>Open record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="81"/>
        <source>Snooze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="90"/>
        <source>Reassign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="92"/>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="94"/>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="139"/>
        <source>Callbacks: {e}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="145"/>
        <source>Anyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="160"/>
        <source>(unknown)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="163"/>
        <source>anyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="174"/>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/callbacks_panel.py" line="185"/>
        <source>{n} callbacks, {due} due, {overdue} overdue</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <location filename="../../agentdesk/ui/customer_panel.py" line="62"/>
        <source>No caller yet.
Incoming calls pop the caller&apos;s record here; search results, recent calls and callbacks open here too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/customer_panel.py" line="133"/>
        <source>Cannot load the record: {e}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/customer_panel.py" line="184"/>
        <source>No player for {path}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="54"/>
        <source>AgentDesk — {agent}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="69"/>
        <source>Wrap-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="70"/>
        <source>Callbacks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="71"/>
        <source>Recent calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="72"/>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="85"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="88"/>
        <source>First run: demo data was added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="88"/>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="105"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="106"/>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="111"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="115"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="116"/>
        <source>&amp;Test call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="119"/>
        <source>&amp;About AgentDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="122"/>
        <source>AgentDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="122"/>
        <source>AgentDesk agent desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="154"/>
        <source>Wrap-up time is over: saved with the default disposition.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="156"/>
        <source>Wrap-up saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="179"/>
        <source>Incoming call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="189"/>
        <source>Cannot call {number}: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="195"/>
        <source>Record created and linked to the call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="198"/>
        <source>Callback due: {who} {phone}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="203"/>
        <source>Callback due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="216"/>
        <source>Cannot read the database: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="220"/>
        <source>{contacts:,} contacts, {accounts:,} accounts, {leads:,} leads, {calls:,} calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/main_window.py" line="235"/>
        <source>Closing: hanging up and saving…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MatchChooser</name>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="111"/>
        <source>Several records have this number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="115"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="115"/>
        <source>Company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="115"/>
        <source>Last contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="119"/>
        <source>Show this record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="136"/>
        <source>contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="137"/>
        <source>lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="138"/>
        <source>account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="143"/>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecentCallsPanel</name>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="55"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="55"/>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="55"/>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="55"/>
        <source>Talk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="55"/>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="60"/>
        <source>No calls yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="62"/>
        <source>Call back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="91"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="94"/>
        <source>missed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordView</name>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="54"/>
        <location filename="../../agentdesk/ui/record_view.py" line="86"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="58"/>
        <source>First name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="59"/>
        <source>Last name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="60"/>
        <source>Title:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="61"/>
        <source>Email:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="62"/>
        <source>City:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="63"/>
        <source>Notes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="74"/>
        <source>Save changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="86"/>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="86"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="90"/>
        <source>▶ Play recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="116"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="124"/>
        <location filename="../../agentdesk/ui/record_view.py" line="151"/>
        <source>(no name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="131"/>
        <source>no disposition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="134"/>
        <location filename="../../agentdesk/ui/record_view.py" line="167"/>
        <source>Calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="136"/>
        <location filename="../../agentdesk/ui/record_view.py" line="180"/>
        <source>Open cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="140"/>
        <location filename="../../agentdesk/ui/record_view.py" line="183"/>
        <source>Open opportunities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="144"/>
        <location filename="../../agentdesk/ui/record_view.py" line="187"/>
        <source>Callbacks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="161"/>
        <source>Only contacts can be edited here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="188"/>
        <source>callback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="193"/>
        <source>Contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="194"/>
        <source>Lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="195"/>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="206"/>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="212"/>
        <source>{text}  ● rec</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="213"/>
        <source>Recorded: select and press Play</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="225"/>
        <source>Call {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="258"/>
        <source>Nothing changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="261"/>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="268"/>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="274"/>
        <source>Not saved: {e}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="299"/>
        <source>Someone else saved this contact while you were editing. Their changes are shown; your other edits are kept. Check and save again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/record_view.py" line="303"/>
        <source>You had typed: {values}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="134"/>
        <source>Search name, company, phone or email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="140"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="140"/>
        <source>Company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="140"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="140"/>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="145"/>
        <location filename="../../agentdesk/ui/lists_panel.py" line="190"/>
        <source>Type at least two letters or a few digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="147"/>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="177"/>
        <source>Search failed: {e}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="179"/>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/lists_panel.py" line="192"/>
        <source>{n} found</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="30"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="35"/>
        <source>Direct (no registrar)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="36"/>
        <source>Register with a PBX</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="43"/>
        <source>unchanged (stored in the keyring)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="54"/>
        <source>SIP account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="56"/>
        <source>Mode:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="57"/>
        <source>Registrar:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="58"/>
        <source>User name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="59"/>
        <source>Auth user:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="60"/>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="61"/>
        <source>Bind address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="62"/>
        <source>Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="63"/>
        <source>Transport:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="66"/>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="68"/>
        <source>system default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="69"/>
        <source>Record every call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="72"/>
        <source>default folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="73"/>
        <source>Audio and recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="75"/>
        <source>Microphone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="76"/>
        <source>Speaker:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="78"/>
        <source>Recordings folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="81"/>
        <source>embedded database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="84"/>
        <source>Answer automatically after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="87"/>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="92"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="94"/>
        <source>Desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="96"/>
        <source>Database URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="97"/>
        <source>Default region:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="99"/>
        <source>Wrap-up time:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="113"/>
        <source>Changes apply the next time AgentDesk starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/settings_dialog.py" line="151"/>
        <source>No keyring: the password is kept for this run only.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SoftphoneBar</name>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="70"/>
        <source>Your availability for calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="71"/>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="257"/>
        <source>Available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="74"/>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="314"/>
        <source>Not ready: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="81"/>
        <source>Number or SIP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="85"/>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="87"/>
        <source>Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="88"/>
        <source>Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="89"/>
        <source>Hang up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="90"/>
        <source>Hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="91"/>
        <source>Mute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="92"/>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="93"/>
        <source>Transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="94"/>
        <source>Blind transfer to the number in the field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="95"/>
        <source>Consult</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="96"/>
        <source>Call the number in the field, then transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="98"/>
        <source>Complete transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="101"/>
        <source>Cancel transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="104"/>
        <source>Keypad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="113"/>
        <source>Go to the number field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="121"/>
        <source>Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="208"/>
        <source>Cannot call: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="224"/>
        <source>Not changed: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="241"/>
        <source>● Direct SIP {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="242"/>
        <source>● Registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="243"/>
        <source>○ Registering…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="244"/>
        <source>○ Not registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="245"/>
        <source>✕ Registration failed {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="255"/>
        <source>Logged out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="256"/>
        <source>Not ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="258"/>
        <source>Ringing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="259"/>
        <source>On call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="260"/>
        <source>On hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="261"/>
        <source>Wrap-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="265"/>
        <source> (then not ready: {reason})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/softphone_bar.py" line="299"/>
        <source>Withheld</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnknownCallerCard</name>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="48"/>
        <source>Unknown caller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="51"/>
        <source>No contact, lead or account has this number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="58"/>
        <source>Phone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="59"/>
        <source>First name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="60"/>
        <source>Last name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="61"/>
        <source>Company:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="62"/>
        <source>Create contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="63"/>
        <source>Create lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="83"/>
        <source>Number withheld</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/pop_views.py" line="97"/>
        <source>Enter a first or last name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WrapupPanel</name>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="57"/>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="174"/>
        <source>Wrap-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="62"/>
        <source>No call to wrap up. The form opens when a call ends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="69"/>
        <source>What was the call about?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="72"/>
        <source>Schedule a callback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="77"/>
        <source>Callback note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="81"/>
        <source>In 1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="82"/>
        <source>Tomorrow 09:00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="83"/>
        <source>Next week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="91"/>
        <source>Create a service case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="93"/>
        <source>Case subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="95"/>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="185"/>
        <source>No opportunity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="100"/>
        <source>Save wrap-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="107"/>
        <source>Disposition:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="108"/>
        <source>Notes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="113"/>
        <source>Opportunity:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="151"/>
        <source>Choose a disposition…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="164"/>
        <source>Wrap-up: {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="201"/>
        <source>no time limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="205"/>
        <source>{time} left, then saved as default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="222"/>
        <source>Choose a disposition.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="230"/>
        <source>Enter the case subject.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/wrapup_panel.py" line="249"/>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <location filename="../../agentdesk/ui/test_call.py" line="13"/>
        <source>Test call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/test_call.py" line="14"/>
        <source>Calling through the SIP stack on loopback…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/test_call.py" line="19"/>
        <source>Test call: {result}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../agentdesk/ui/test_call.py" line="22"/>
        <source>Test call failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
