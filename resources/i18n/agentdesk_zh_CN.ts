<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AdminDialog</name>
    <message>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Dispositions</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Campaigns</source>
        <translation>外呼活动</translation>
    </message>
    <message>
        <source>Campaign settings</source>
        <translation>外呼活动设置</translation>
    </message>
    <message>
        <source>Sales stages</source>
        <translation>销售阶段</translation>
    </message>
    <message>
        <source>This screen is for administrators. {reason}</source>
        <translation>此界面仅供管理员使用。{reason}</translation>
    </message>
    <message>
        <source>The database could not be read: {reason}</source>
        <translation>无法读取数据库：{reason}</translation>
    </message>
</context>
<context>
    <name>AdminLabels</name>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Sales rep</source>
        <translation>销售代表</translation>
    </message>
    <message>
        <source>Sales manager</source>
        <translation>销售经理</translation>
    </message>
    <message>
        <source>Service agent</source>
        <translation>客服专员</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Leads</source>
        <translation>线索</translation>
    </message>
    <message>
        <source>Opportunities</source>
        <translation>商机</translation>
    </message>
    <message>
        <source>Quotes</source>
        <translation>报价单</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>通话</translation>
    </message>
    <message>
        <source>Callbacks</source>
        <translation>回拨</translation>
    </message>
    <message>
        <source>Campaigns</source>
        <translation>外呼活动</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Own</source>
        <translation>本人</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>本团队</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>本部门</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Reassign records</source>
        <translation>重新分配记录</translation>
    </message>
    <message>
        <source>Approve orders</source>
        <translation>审批订单</translation>
    </message>
    <message>
        <source>Manage users</source>
        <translation>管理用户</translation>
    </message>
    <message>
        <source>View the supervisor board</source>
        <translation>查看主管看板</translation>
    </message>
    <message>
        <source>Go offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Publish articles</source>
        <translation>发布知识库文章</translation>
    </message>
    <message>
        <source>Your role does not allow this: {what}.</source>
        <translation>您的角色不允许此操作：{what}。</translation>
    </message>
    <message>
        <source>Your role does not allow you to give {kind} to {user}: they are outside the records you may change.</source>
        <translation>您的角色不允许把{kind}交给 {user}：对方不在您可修改的记录范围内。</translation>
    </message>
    <message>
        <source>Your role does not allow you to {action} these {kind}.</source>
        <translation>您的角色不允许{action}这些{kind}。</translation>
    </message>
</context>
<context>
    <name>AdminTab</name>
    <message>
        <source>The database could not do this: {error}</source>
        <translation>数据库无法完成此操作：{error}</translation>
    </message>
</context>
<context>
    <name>BoardWindow</name>
    <message>
        <source>answered within T / answered</source>
        <translation>T 内接听数 / 接听数</translation>
    </message>
    <message>
        <source>answered within T / (answered + abandoned)</source>
        <translation>T 内接听数 / (接听数 + 放弃数)</translation>
    </message>
    <message>
        <source>answered within T / (answered + abandoned after T)</source>
        <translation>T 内接听数 / (接听数 + 超过 T 的放弃数)</translation>
    </message>
    <message>
        <source>Supervisor board</source>
        <translation>班长监控台</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>全部团队</translation>
    </message>
    <message>
        <source>Wallboard</source>
        <translation>大屏模式</translation>
    </message>
    <message>
        <source>Full screen, large figures to read across a room</source>
        <translation>全屏大字显示，便于在整个场地远距离查看</translation>
    </message>
    <message>
        <source>Team:</source>
        <translation>团队：</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Longest wait</source>
        <translation>最长等待</translation>
    </message>
    <message>
        <source>Service level</source>
        <translation>服务水平</translation>
    </message>
    <message>
        <source>ASA</source>
        <translation>平均应答速度</translation>
    </message>
    <message>
        <source>Abandon %</source>
        <translation>放弃率</translation>
    </message>
    <message>
        <source>Answered / offered</source>
        <translation>接听 / 呼入</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>On call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Not ready</source>
        <translation>未就绪</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>外呼活动</translation>
    </message>
    <message>
        <source>Dialed</source>
        <translation>已拨打</translation>
    </message>
    <message>
        <source>Contacted</source>
        <translation>已接通</translation>
    </message>
    <message>
        <source>Successes</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>剩余</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Time in state</source>
        <translation>持续时间</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>通话</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Calls today</source>
        <translation>今日通话</translation>
    </message>
    <message>
        <source>AHT today</source>
        <translation>今日平均处理时长</translation>
    </message>
    <message>
        <source>The board could not be read: {e}</source>
        <translation>无法读取监控台：{e}</translation>
    </message>
    <message>
        <source>{state}: {reason}</source>
        <translation>{state}：{reason}</translation>
    </message>
    <message>
        <source>{n} agents: {available} available, {busy} on a call, {wrapup} in wrap-up, {paused} not ready, {lost} lost</source>
        <translation>{n} 名坐席：{available} 名空闲，{busy} 名通话中，{wrapup} 名话后处理，{paused} 名未就绪，{lost} 名失联</translation>
    </message>
    <message>
        <source>Nobody is named to serve this queue: agentdesk queue member add</source>
        <translation>尚未指定服务此队列的坐席：agentdesk queue member add</translation>
    </message>
    <message>
        <source>Today. Service level: {formula}; T is each queue&apos;s threshold. Agents: the queue&apos;s members that you watch (— where nobody is named to serve it).</source>
        <translation>今日。服务水平：{formula}；T 为各队列的阈值。坐席：您可查看的该队列成员（未指定成员的队列显示 —）。</translation>
    </message>
</context>
<context>
    <name>CallbacksPanel</name>
    <message>
        <source>15 minutes</source>
        <translation>15 分钟</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>1 day</source>
        <translation>1 天</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>外呼活动</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>No callbacks due this week.</source>
        <translation>本周没有到期的回拨。</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>呼叫</translation>
    </message>
    <message>
        <source>Open record</source>
        <translation>打开记录</translation>
    </message>
    <message>
        <source>Snooze</source>
        <translation>稍后提醒</translation>
    </message>
    <message>
        <source>Reassign</source>
        <translation>改派</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Callbacks: {e}</source>
        <translation>回拨：{e}</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>任何人</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>（未知）</translation>
    </message>
    <message>
        <source>anyone</source>
        <translation>任何人</translation>
    </message>
    <message>
        <source>Campaign paused</source>
        <translation>外呼活动已暂停</translation>
    </message>
    <message>
        <source>Campaign callback: dialled through the dialer, which checks the do-not-call lists and calling hours again.</source>
        <translation>外呼活动回拨：通过外呼拨打，会再次检查勿扰名单和允许拨打时段。</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>The dialer schedules a campaign callback: set a new time in the wrap-up of its call.</source>
        <translation>外呼活动回拨由外呼安排：请在该通话的话后处理中设置新时间。</translation>
    </message>
    <message>
        <source>A campaign callback is closed by calling it: its wrap-up ends it or sets a new time.</source>
        <translation>外呼活动回拨须拨打后结束：其话后处理会结束它或设置新时间。</translation>
    </message>
    <message>
        <source>A campaign callback stays with the agent who set it.</source>
        <translation>外呼活动回拨归设置它的坐席所有。</translation>
    </message>
    <message>
        <source>Cannot call {who}: {why}</source>
        <translation>无法拨打 {who}：{why}</translation>
    </message>
    <message>
        <source>Callbacks: {n} · due: {due} · overdue: {overdue}</source>
        <translation>回拨：{n} · 到期：{due} · 逾期：{overdue}</translation>
    </message>
</context>
<context>
    <name>CampaignSettingsTab</name>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>Campaign:</source>
        <translation>外呼活动：</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览式</translation>
    </message>
    <message>
        <source>Progressive</source>
        <translation>渐进式</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>Agents get entries of higher-priority campaigns first.</source>
        <translation>坐席先拿到优先级更高的外呼活动的名单。</translation>
    </message>
    <message>
        <source>Minutes before an outcome is dialled again, or final: busy=15, declined=final</source>
        <translation>某种结果后再次拨打前等待的分钟数，或 final（不再拨打）：busy=15, declined=final</translation>
    </message>
    <message>
        <source>Merge fields: {fields}</source>
        <translation>合并字段：{fields}</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <source>Calling hours (callee&apos;s time):</source>
        <translation>呼叫时段（被叫方当地时间）：</translation>
    </message>
    <message>
        <source>Days:</source>
        <translation>日期：</translation>
    </message>
    <message>
        <source>Attempts at most:</source>
        <translation>最多尝试次数：</translation>
    </message>
    <message>
        <source>Retry after (minutes):</source>
        <translation>重拨间隔（分钟）：</translation>
    </message>
    <message>
        <source>Priority:</source>
        <translation>优先级：</translation>
    </message>
    <message>
        <source>Script:</source>
        <translation>话术：</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Archive…</source>
        <translation>归档…</translation>
    </message>
    <message>
        <source>No campaigns yet: create one with `agentdesk campaign create`.</source>
        <translation>尚无外呼活动：请用 `agentdesk campaign create` 创建。</translation>
    </message>
    <message>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Settings of {campaign} saved.</source>
        <translation>已保存 {campaign} 的设置。</translation>
    </message>
    <message>
        <source>{campaign} runs again.</source>
        <translation>{campaign} 已恢复。</translation>
    </message>
    <message>
        <source>{campaign} paused.</source>
        <translation>{campaign} 已暂停。</translation>
    </message>
    <message>
        <source>Archive campaign</source>
        <translation>归档外呼活动</translation>
    </message>
    <message>
        <source>Archive {campaign}? Agents no longer see it; its calls stay in the reports.</source>
        <translation>归档 {campaign}？坐席将不再看到它；其通话仍保留在报表中。</translation>
    </message>
    <message>
        <source>{campaign} archived.</source>
        <translation>{campaign} 已归档。</translation>
    </message>
</context>
<context>
    <name>CampaignsTab</name>
    <message>
        <source>Campaign:</source>
        <translation>外呼活动：</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Teams (every member)</source>
        <translation>团队（全体成员）</translation>
    </message>
    <message>
        <source>Save assignment</source>
        <translation>保存分配</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>撤销修改</translation>
    </message>
    <message>
        <source>No campaigns yet: create one with `agentdesk campaign create`.</source>
        <translation>尚无外呼活动：请用 `agentdesk campaign create` 创建。</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Open to all: every agent may work this campaign.</source>
        <translation>对所有人开放：每位坐席都可以处理此外呼活动。</translation>
    </message>
    <message>
        <source>Only {agents} user(s) and the members of {teams} team(s) may work it.</source>
        <translation>仅限 {agents} 位用户和 {teams} 个团队的成员处理。</translation>
    </message>
    <message>
        <source>(not saved yet)</source>
        <translation>（尚未保存）</translation>
    </message>
    <message>
        <source>Assignment of {campaign} saved.</source>
        <translation>{campaign} 的分配已保存。</translation>
    </message>
</context>
<context>
    <name>CaseDesk</name>
    <message>
        <source>{d}d {h}h</source>
        <translation>{d}天{h}小时</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>late {span}</source>
        <translation>超时 {span}</translation>
    </message>
    <message>
        <source>{span} left</source>
        <translation>剩余 {span}</translation>
    </message>
</context>
<context>
    <name>CaseDeskWindow</name>
    <message>
        <source>Cases</source>
        <translation>服务工单</translation>
    </message>
    <message>
        <source>All my work</source>
        <translation>我的全部工作</translation>
    </message>
    <message>
        <source>My cases</source>
        <translation>我的工单</translation>
    </message>
    <message>
        <source>Team queue</source>
        <translation>团队队列</translation>
    </message>
    <message>
        <source>Any open status</source>
        <translation>所有未结状态</translation>
    </message>
    <message>
        <source>Any priority</source>
        <translation>所有优先级</translation>
    </message>
    <message>
        <source>Breached only</source>
        <translation>仅超时</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Due in</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Take from queue</source>
        <translation>从队列领取</translation>
    </message>
    <message>
        <source>Assign selected to</source>
        <translation>将所选分配给</translation>
    </message>
    <message>
        <source>The cases could not be read: {e}</source>
        <translation>无法读取工单：{e}</translation>
    </message>
    <message>
        <source>In the queue of {team}</source>
        <translation>在 {team} 的队列中</translation>
    </message>
    <message>
        <source>No case matches these filters.</source>
        <translation>没有符合这些条件的工单。</translation>
    </message>
    <message>
        <source>The case could not be read: {e}</source>
        <translation>无法读取该工单：{e}</translation>
    </message>
    <message>
        <source>The status was not changed: {e}</source>
        <translation>状态未更改：{e}</translation>
    </message>
    <message>
        <source>The case was not changed: {e}</source>
        <translation>工单未更改：{e}</translation>
    </message>
    <message>
        <source>The note was not added: {e}</source>
        <translation>备注未添加：{e}</translation>
    </message>
    <message>
        <source>The article was not added: {e}</source>
        <translation>文章未添加：{e}</translation>
    </message>
    <message>
        <source>The case was not taken: {e}</source>
        <translation>未能领取工单：{e}</translation>
    </message>
    <message>
        <source>Cases assigned to {to}: {n}.</source>
        <translation>已分配给 {to} 的工单：{n} 个。</translation>
    </message>
    <message>
        <source>Nothing was assigned: {e}</source>
        <translation>未分配任何工单：{e}</translation>
    </message>
</context>
<context>
    <name>CaseForm</name>
    <message>
        <source>Customer:</source>
        <translation>客户：</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Priority:</source>
        <translation>优先级：</translation>
    </message>
    <message>
        <source>Owner:</source>
        <translation>负责人：</translation>
    </message>
    <message>
        <source>Targets:</source>
        <translation>服务目标：</translation>
    </message>
    <message>
        <source>Opened:</source>
        <translation>创建时间：</translation>
    </message>
    <message>
        <source>First response due:</source>
        <translation>首次响应期限：</translation>
    </message>
    <message>
        <source>Resolution due:</source>
        <translation>解决期限：</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>描述：</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Change the priority or category: the due times are counted again</source>
        <translation>更改优先级或类别：到期时间将重新计算</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>类别：</translation>
    </message>
    <message>
        <source>Resolution: what solved it</source>
        <translation>解决方案：问题是如何解决的</translation>
    </message>
    <message>
        <source>Apply status</source>
        <translation>更改状态</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>A note for the timeline</source>
        <translation>添加到时间线的备注</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <source>Changed elsewhere:</source>
        <translation>已在别处更改：</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <source>&lt;b&gt;Timeline&lt;/b&gt;</source>
        <translation>&lt;b&gt;时间线&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Choose a case in the list</source>
        <translation>请在列表中选择工单</translation>
    </message>
    <message>
        <source>{first} / {resolution}</source>
        <translation>{first} / {resolution}</translation>
    </message>
    <message>
        <source>policy</source>
        <translation>服务级别策略</translation>
    </message>
    <message>
        <source>defaults</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>queue {team}</source>
        <translation>{team} 队列</translation>
    </message>
    <message>
        <source>Read only: {why}</source>
        <translation>只读：{why}</translation>
    </message>
    <message>
        <source>Case opened: {text}</source>
        <translation>创建工单：{text}</translation>
    </message>
    <message>
        <source>{arrow} Call: {text}</source>
        <translation>{arrow} 通话：{text}</translation>
    </message>
    <message>
        <source>Article added: {title}</source>
        <translation>已添加文章：{title}</translation>
    </message>
    <message>
        <source>Solved by article: {title}</source>
        <translation>由文章解决：{title}</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m} 分钟</translation>
    </message>
    <message>
        <source>{h} h</source>
        <translation>{h} 小时</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} 小时 {m} 分钟</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>No caller yet.
Incoming calls pop the caller&apos;s record here; search results, recent calls and callbacks open here too.</source>
        <translation>暂无来电。
来电时会在此弹出来电客户的资料；搜索结果、最近通话和回拨也在此打开。</translation>
    </message>
    <message>
        <source>Cannot load the record: {e}</source>
        <translation>无法加载记录：{e}</translation>
    </message>
    <message>
        <source>Not saved: {e}</source>
        <translation>未保存：{e}</translation>
    </message>
    <message>
        <source>Number added.</source>
        <translation>号码已添加。</translation>
    </message>
    <message>
        <source>Number removed.</source>
        <translation>号码已删除。</translation>
    </message>
    <message>
        <source>No player for {path}</source>
        <translation>没有可播放 {path} 的程序</translation>
    </message>
</context>
<context>
    <name>DialerPanel</name>
    <message>
        <source>outside calling hours</source>
        <translation>不在允许拨打时段</translation>
    </message>
    <message>
        <source>on a do-not-call list</source>
        <translation>在勿扰名单中</translation>
    </message>
    <message>
        <source>out of attempts</source>
        <translation>拨打次数已用完</translation>
    </message>
    <message>
        <source>reserved or on a call</source>
        <translation>已被预留或正在通话</translation>
    </message>
    <message>
        <source>waiting for their retry time</source>
        <translation>等待重试时间</translation>
    </message>
    <message>
        <source>callbacks not due yet</source>
        <translation>回拨尚未到期</translation>
    </message>
    <message>
        <source>another agent&apos;s callbacks</source>
        <translation>其他坐席的回拨</translation>
    </message>
    <message>
        <source>invalid numbers</source>
        <translation>号码无效</translation>
    </message>
    <message>
        <source>with no known time zone</source>
        <translation>时区未知</translation>
    </message>
    <message>
        <source>held: the campaign is paused</source>
        <translation>暂缓：外呼活动已暂停</translation>
    </message>
    <message>
        <source>Not the right person</source>
        <translation>不是目标联系人</translation>
    </message>
    <message>
        <source>Already a customer</source>
        <translation>已是客户</translation>
    </message>
    <message>
        <source>Called recently from another list</source>
        <translation>近期已在其他名单中拨打过</translation>
    </message>
    <message>
        <source>Record needs fixing first</source>
        <translation>记录需先修正</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>已接听</translation>
    </message>
    <message>
        <source>busy</source>
        <translation>忙线</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>无人接听</translation>
    </message>
    <message>
        <source>invalid number</source>
        <translation>号码无效</translation>
    </message>
    <message>
        <source>declined</source>
        <translation>被拒接</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>call failed</source>
        <translation>呼叫失败</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>on a do-not-call list, not dialled</source>
        <translation>在勿扰名单中，未拨打</translation>
    </message>
    <message>
        <source>the phone is in direct SIP mode without an outbound proxy, so it cannot call phone numbers. Set File &gt; Settings &gt; SIP account &gt; Outbound proxy (or register with a PBX) and restart AgentDesk.</source>
        <translation>话机处于 SIP 直连模式且未设置出局代理，无法拨打电话号码。请在“文件 &gt; 设置 &gt; SIP 账号 &gt; 出局代理”中设置（或注册到 PBX），然后重启 AgentDesk。</translation>
    </message>
    <message>
        <source>the phone is in register mode without a registrar, so it cannot call phone numbers. Set File &gt; Settings &gt; SIP account &gt; Registrar and restart AgentDesk.</source>
        <translation>话机处于注册模式但未设置注册服务器，无法拨打电话号码。请在“文件 &gt; 设置 &gt; SIP 账号 &gt; 注册服务器”中设置，然后重启 AgentDesk。</translation>
    </message>
    <message>
        <source>the phone is not registered with the PBX. Check File &gt; Settings &gt; SIP account (registrar, user name, password).</source>
        <translation>话机尚未注册到 PBX。请检查“文件 &gt; 设置 &gt; SIP 账号”（注册服务器、用户名、密码）。</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>callback</source>
        <translation>回拨</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>do not call</source>
        <translation>勿扰</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>reserved</source>
        <translation>已预留</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <source>Reload the campaigns assigned to you</source>
        <translation>重新加载分配给您的外呼活动</translation>
    </message>
    <message>
        <source>Campaign:</source>
        <translation>外呼活动：</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>电话：</translation>
    </message>
    <message>
        <source>Company:</source>
        <translation>公司：</translation>
    </message>
    <message>
        <source>City:</source>
        <translation>城市：</translation>
    </message>
    <message>
        <source>Attempts:</source>
        <translation>拨打次数：</translation>
    </message>
    <message>
        <source>Dial now</source>
        <translation>立即拨打</translation>
    </message>
    <message>
        <source>Reason for skipping</source>
        <translation>跳过原因</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Next entry</source>
        <translation>下一条</translation>
    </message>
    <message>
        <source>Dial selected</source>
        <translation>拨打所选</translation>
    </message>
    <message>
        <source>Refresh list</source>
        <translation>刷新列表</translation>
    </message>
    <message>
        <source>Next dialable entries</source>
        <translation>接下来可拨打的名单</translation>
    </message>
    <message>
        <source>The campaign has no script.</source>
        <translation>该外呼活动没有话术。</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>话术</translation>
    </message>
    <message>
        <source>Dialed</source>
        <translation>已拨打</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>剩余</translation>
    </message>
    <message>
        <source>Contacted</source>
        <translation>已接通</translation>
    </message>
    <message>
        <source>Successes</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Dialer: {error}</source>
        <translation>外呼：{error}</translation>
    </message>
    <message>
        <source>No campaign is assigned to you.</source>
        <translation>没有分配给您的外呼活动。</translation>
    </message>
    <message>
        <source>Cannot start the dialer: {why}</source>
        <translation>无法启动外呼：{why}</translation>
    </message>
    <message>
        <source>Cannot dial: {why}</source>
        <translation>无法拨打：{why}</translation>
    </message>
    <message>
        <source>Select an entry in the list first.</source>
        <translation>请先在列表中选择一条名单。</translation>
    </message>
    <message>
        <source>Cannot skip: {why}</source>
        <translation>无法跳过：{why}</translation>
    </message>
    <message>
        <source>Cannot dial {who}: {why}</source>
        <translation>无法拨打 {who}：{why}</translation>
    </message>
    <message>
        <source>{mode} · calls {window} callee time</source>
        <translation>{mode} · 按被叫方当地时间 {window} 拨打</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source> (callback)</source>
        <translation>（回拨）</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无姓名）</translation>
    </message>
    <message>
        <source>{n} so far, last: {last}</source>
        <translation>已拨 {n} 次，上次：{last}</translation>
    </message>
    <message>
        <source>first call</source>
        <translation>首次拨打</translation>
    </message>
    <message>
        <source>{n} {reason}</source>
        <translation>{reason}：{n}</translation>
    </message>
    <message>
        <source>Nothing is dialable now. Held back: {parts}.</source>
        <translation>当前没有可拨打的号码。暂缓：{parts}。</translation>
    </message>
    <message>
        <source>Nothing is dialable now: the campaign has no open entries.</source>
        <translation>当前没有可拨打的号码：该外呼活动没有待拨条目。</translation>
    </message>
    <message>
        <source>Choose a campaign.</source>
        <translation>请选择外呼活动。</translation>
    </message>
    <message>
        <source>Pausing after the call with {name}</source>
        <translation>与 {name} 的通话结束后暂停</translation>
    </message>
    <message>
        <source>Paused. Press Start to dial this campaign.</source>
        <translation>已暂停。按“开始”拨打此外呼活动。</translation>
    </message>
    <message>
        <source>Paused: entries are reserved in the database, which cannot be reached. The dialer goes on by itself when it can.</source>
        <translation>已暂停：名单条目需在数据库中预留，而数据库目前无法连接。可以连接时拨号器将自动继续。</translation>
    </message>
    <message>
        <source>Waiting until you are available…</source>
        <translation>等待您就绪…</translation>
    </message>
    <message>
        <source>Reserving {name}…</source>
        <translation>正在预留 {name}…</translation>
    </message>
    <message>
        <source>Finding the next entry…</source>
        <translation>正在查找下一条…</translation>
    </message>
    <message>
        <source>Pick an entry to dial ({n} listed)</source>
        <translation>选择要拨打的名单（共列出 {n} 条）</translation>
    </message>
    <message>
        <source>Dialing in {n} s</source>
        <translation>{n} 秒后拨打</translation>
    </message>
    <message>
        <source>Dial when you are ready</source>
        <translation>准备好后拨打</translation>
    </message>
    <message>
        <source>On hold until you are available</source>
        <translation>暂缓，直到您就绪</translation>
    </message>
    <message>
        <source>Dialing {name}…</source>
        <translation>正在拨打 {name}…</translation>
    </message>
    <message>
        <source>On call with {name}</source>
        <translation>正在与 {name} 通话</translation>
    </message>
    <message>
        <source>Wrap up the call with {name} to go on</source>
        <translation>完成与 {name} 通话的话后处理后继续</translation>
    </message>
    <message>
        <source>Nothing to dial now; asking again shortly</source>
        <translation>当前无可拨号码，稍后再查询</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览式</translation>
    </message>
    <message>
        <source>Progressive</source>
        <translation>渐进式</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>Last: {name} — {what}; callback at {when}</source>
        <translation>上一通：{name} — {what}；回拨时间 {when}</translation>
    </message>
    <message>
        <source>Last: {name} — {what}; next try after {when}</source>
        <translation>上一通：{name} — {what}；{when} 之后重试</translation>
    </message>
    <message>
        <source>Last: {name} — {what}; now {status}</source>
        <translation>上一通：{name} — {what}；当前状态 {status}</translation>
    </message>
</context>
<context>
    <name>DispositionsTab</name>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Chinese label</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>接通</translation>
    </message>
    <message>
        <source>Callback</source>
        <translation>回拨</translation>
    </message>
    <message>
        <source>Final</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Do not call</source>
        <translation>勿扰</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>New disposition</source>
        <translation>新增处理结果</translation>
    </message>
    <message>
        <source>e.g. wants_brochure</source>
        <translation>例如 wants_brochure</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Counts as a success</source>
        <translation>计为成功</translation>
    </message>
    <message>
        <source>Counts as a contact</source>
        <translation>计为接通</translation>
    </message>
    <message>
        <source>Asks for a callback time</source>
        <translation>需要填写回拨时间</translation>
    </message>
    <message>
        <source>Ends the campaign entry</source>
        <translation>结束该外呼名单条目</translation>
    </message>
    <message>
        <source>Adds the number to the do-not-call list</source>
        <translation>将号码加入勿扰名单</translation>
    </message>
    <message>
        <source>Add disposition</source>
        <translation>添加处理结果</translation>
    </message>
    <message>
        <source>Code:</source>
        <translation>代码：</translation>
    </message>
    <message>
        <source>Label:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Chinese label:</source>
        <translation>中文名称：</translation>
    </message>
    <message>
        <source>Disposition {code} added.</source>
        <translation>处理结果 {code} 已添加。</translation>
    </message>
</context>
<context>
    <name>EntryChoicesTable</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>公司</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>拨打次数</translation>
    </message>
    <message>
        <source>Last outcome</source>
        <translation>上次结果</translation>
    </message>
</context>
<context>
    <name>Enum</name>
    <message>
        <source>new</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>assigned</source>
        <translation>已分派</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>waiting on customer</source>
        <translation>等待客户</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>low priority</source>
        <translation>低优先级</translation>
    </message>
    <message>
        <source>normal priority</source>
        <translation>普通优先级</translation>
    </message>
    <message>
        <source>high priority</source>
        <translation>高优先级</translation>
    </message>
    <message>
        <source>urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>prospecting</source>
        <translation>潜在客户</translation>
    </message>
    <message>
        <source>qualification</source>
        <translation>资格确认</translation>
    </message>
    <message>
        <source>proposal</source>
        <translation>方案报价</translation>
    </message>
    <message>
        <source>negotiation</source>
        <translation>商务谈判</translation>
    </message>
    <message>
        <source>won</source>
        <translation>赢单</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>丢单</translation>
    </message>
    <message>
        <source>logged out</source>
        <translation>已登出</translation>
    </message>
    <message>
        <source>not ready</source>
        <translation>未就绪</translation>
    </message>
    <message>
        <source>available</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>ringing</source>
        <translation>振铃中</translation>
    </message>
    <message>
        <source>on call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>on hold</source>
        <translation>保持中</translation>
    </message>
    <message>
        <source>wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>lost (the desk went silent)</source>
        <translation>失联（客户端无响应）</translation>
    </message>
</context>
<context>
    <name>EscalationsButton</name>
    <message>
        <source>The escalations could not be read: {e}</source>
        <translation>无法读取升级提醒：{e}</translation>
    </message>
    <message>
        <source>1 escalation</source>
        <translation>1 条升级</translation>
    </message>
    <message>
        <source>{count} escalations</source>
        <translation>{count} 条升级</translation>
    </message>
    <message>
        <source>Cases escalated to you or from you: open the list</source>
        <translation>升级给您或从您这里升级的工单：打开列表</translation>
    </message>
</context>
<context>
    <name>EscalationsDialog</name>
    <message>
        <source>Escalations</source>
        <translation>升级提醒</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>No unread escalations.</source>
        <translation>没有未读的升级提醒。</translation>
    </message>
    <message>
        <source>Open case</source>
        <translation>打开工单</translation>
    </message>
    <message>
        <source>Mark read</source>
        <translation>标为已读</translation>
    </message>
    <message>
        <source>Mark all read</source>
        <translation>全部标为已读</translation>
    </message>
    <message>
        <source>First response nearly due</source>
        <translation>首次响应即将到期</translation>
    </message>
    <message>
        <source>First response overdue</source>
        <translation>首次响应已超时</translation>
    </message>
    <message>
        <source>Resolution nearly due</source>
        <translation>解决即将到期</translation>
    </message>
    <message>
        <source>Resolution overdue</source>
        <translation>解决已超时</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>已升级</translation>
    </message>
</context>
<context>
    <name>ForecastView</name>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <source>Rep</source>
        <translation>销售代表</translation>
    </message>
    <message>
        <source>Product category</source>
        <translation>产品类别</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>By:</source>
        <translation>分组：</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>从：</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>至：</translation>
    </message>
    <message>
        <source>Currency:</source>
        <translation>币种：</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Unweighted</source>
        <translation>未加权</translation>
    </message>
    <message>
        <source>Weighted</source>
        <translation>加权</translation>
    </message>
    <message>
        <source>Won</source>
        <translation>赢单</translation>
    </message>
    <message>
        <source>Slipped</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Open: opportunities closing in the period from today on; weighted by their probability. Slipped: still open, close date passed.</source>
        <translation>进行中：期间内自今日起预计成交的商机；加权按其成交概率计算。逾期：仍未关闭但预计成交日期已过。</translation>
    </message>
    <message>
        <source>(no category)</source>
        <translation>（无类别）</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
</context>
<context>
    <name>HistoryTable</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>From</source>
        <translation>原阶段</translation>
    </message>
    <message>
        <source>To</source>
        <translation>新阶段</translation>
    </message>
    <message>
        <source>(created)</source>
        <translation>（创建）</translation>
    </message>
</context>
<context>
    <name>KbPanel</name>
    <message>
        <source>Search articles (中文/English)</source>
        <translation>搜索文章（中文/English）</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Add to case</source>
        <translation>添加到工单</translation>
    </message>
    <message>
        <source>Solved by this</source>
        <translation>标记为解决方案</translation>
    </message>
    <message>
        <source>Add the article to the case as what solved it</source>
        <translation>将此文章作为该工单的解决方案添加</translation>
    </message>
    <message>
        <source>&lt;b&gt;Knowledge base&lt;/b&gt;</source>
        <translation>&lt;b&gt;知识库&lt;/b&gt;</translation>
    </message>
    <message>
        <source>The search failed: {e}</source>
        <translation>搜索失败：{e}</translation>
    </message>
    <message>
        <source>No article matches.</source>
        <translation>没有匹配的文章。</translation>
    </message>
    <message>
        <source>Cannot open it: {e}</source>
        <translation>无法打开：{e}</translation>
    </message>
</context>
<context>
    <name>LeadsDesk</name>
    <message>
        <source>Convert lead</source>
        <translation>转化线索</translation>
    </message>
    <message>
        <source>Make this lead an account, a contact and an opportunity</source>
        <translation>把这条线索转化为客户、联系人和商机</translation>
    </message>
    <message>
        <source>Lead converted: its contact is shown.</source>
        <translation>线索已转化：现显示其联系人。</translation>
    </message>
</context>
<context>
    <name>LeadsWindow</name>
    <message>
        <source>Leads</source>
        <translation>线索</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <source>user name, or - for the pool</source>
        <translation>用户名，或 - 表示公海</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <source>name, company or e-mail</source>
        <translation>姓名、公司或电子邮件</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Owner:</source>
        <translation>负责人：</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <source>Created from:</source>
        <translation>创建日期从：</translation>
    </message>
    <message>
        <source>to:</source>
        <translation>到：</translation>
    </message>
    <message>
        <source>Text:</source>
        <translation>文本：</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>公司</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建日期</translation>
    </message>
    <message>
        <source>Assign selected</source>
        <translation>分配所选</translation>
    </message>
    <message>
        <source>Round-robin selected</source>
        <translation>轮流分配所选</translation>
    </message>
    <message>
        <source>Convert selected</source>
        <translation>转化所选</translation>
    </message>
    <message>
        <source>Disqualify…</source>
        <translation>排除…</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>给：</translation>
    </message>
    <message>
        <source>Team:</source>
        <translation>团队：</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Contacted</source>
        <translation>已联系</translation>
    </message>
    <message>
        <source>Qualified</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Disqualified</source>
        <translation>已排除</translation>
    </message>
    <message>
        <source>Converted</source>
        <translation>已转化</translation>
    </message>
    <message>
        <source>{text} is not a date (YYYY-MM-DD)</source>
        <translation>{text} 不是日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>(pool)</source>
        <translation>（公海）</translation>
    </message>
    <message numerus="yes">
        <source>%n lead(s)</source>
        <translation>
            <numerusform>%n 条线索</numerusform>
        </translation>
    </message>
    <message>
        <source>Select one or more leads first.</source>
        <translation>请先选择一条或多条线索。</translation>
    </message>
    <message>
        <source>Given to {user}.</source>
        <translation>已分配给 {user}。</translation>
    </message>
    <message>
        <source>Dealt out over the members of {team}.</source>
        <translation>已轮流分配给 {team} 的成员。</translation>
    </message>
    <message>
        <source>Converted: an account, a contact and an opportunity each.</source>
        <translation>已转化：每条线索生成一个客户、一个联系人和一个商机。</translation>
    </message>
    <message>
        <source>Disqualify one lead at a time, with its reason.</source>
        <translation>请逐条排除线索，并写明原因。</translation>
    </message>
    <message>
        <source>Disqualify lead</source>
        <translation>排除线索</translation>
    </message>
    <message>
        <source>Why is this lead disqualified?</source>
        <translation>为什么排除这条线索？</translation>
    </message>
    <message>
        <source>The lead is disqualified.</source>
        <translation>线索已排除。</translation>
    </message>
</context>
<context>
    <name>LinesTable</name>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Discount %</source>
        <translation>折扣 %</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>税率</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>净额</translation>
    </message>
</context>
<context>
    <name>LoginPrompt</name>
    <message>
        <source>Sign in to the database</source>
        <translation>登录数据库</translation>
    </message>
    <message>
        <source>Password for {login}:</source>
        <translation>{login} 的密码：</translation>
    </message>
    <message>
        <source>The database did not accept the password.</source>
        <translation>数据库未接受该密码。</translation>
    </message>
    <message>
        <source>It is kept in the system keyring, so you are asked only once.</source>
        <translation>密码保存在系统密钥环中，只需输入一次。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>AgentDesk — {agent}</source>
        <translation>AgentDesk 坐席台 — {agent}</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Callbacks</source>
        <translation>回拨</translation>
    </message>
    <message>
        <source>Recent calls</source>
        <translation>最近通话</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Dialer</source>
        <translation>外呼</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>First run: demo data was added</source>
        <translation>首次运行：已添加演示数据</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Wrap-up saved on this computer: it goes to the database when the database can be reached.</source>
        <translation>话后处理已保存在本机：数据库可以连接时将写入数据库。</translation>
    </message>
    <message>
        <source>Wrap-up time is over: saved with the default disposition.</source>
        <translation>话后处理时间已到：已按默认处理结果保存。</translation>
    </message>
    <message>
        <source>Wrap-up saved.</source>
        <translation>话后处理已保存。</translation>
    </message>
    <message numerus="yes">
        <source>The database cannot be reached: %n change(s) kept on this computer</source>
        <translation>
            <numerusform>无法连接数据库：%n 项更改保存在本机</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving %n change(s) kept on this computer…</source>
        <translation>
            <numerusform>正在写入本机保存的 %n 项更改…</numerusform>
        </translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Cannot call {number}: {why}</source>
        <translation>无法呼叫 {number}：{why}</translation>
    </message>
    <message>
        <source>Record created and linked to the call.</source>
        <translation>记录已创建并关联到此通话。</translation>
    </message>
    <message>
        <source>Callback due: {who} {phone}</source>
        <translation>回拨到期：{who} {phone}</translation>
    </message>
    <message>
        <source>Callback due</source>
        <translation>回拨到期</translation>
    </message>
    <message>
        <source>Cannot read the database: {error}</source>
        <translation>无法读取数据库：{error}</translation>
    </message>
    <message>
        <source>{contacts:,} contacts, {accounts:,} accounts, {leads:,} leads, {calls:,} calls</source>
        <translation>联系人 {contacts:,} 个，客户 {accounts:,} 个，线索 {leads:,} 条，通话 {calls:,} 次</translation>
    </message>
    <message>
        <source>Closing: hanging up and saving…</source>
        <translation>正在关闭：挂断并保存…</translation>
    </message>
</context>
<context>
    <name>MatchChooser</name>
    <message>
        <source>Several records have this number</source>
        <translation>多条记录使用此号码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>公司</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>最近联系</translation>
    </message>
    <message>
        <source>Show this record</source>
        <translation>显示此记录</translation>
    </message>
    <message>
        <source>contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>lead</source>
        <translation>线索</translation>
    </message>
    <message>
        <source>account</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
</context>
<context>
    <name>Notice</name>
    <message>
        <source>call from {number} refused</source>
        <translation>已拒接 {number} 的来电</translation>
    </message>
    <message>
        <source>call from a withheld number refused</source>
        <translation>已拒接隐藏号码的来电</translation>
    </message>
    <message>
        <source>caller pressed {digit}</source>
        <translation>来电方按下了 {digit}</translation>
    </message>
    <message>
        <source>transfer failed ({code})</source>
        <translation>转接失败（{code}）</translation>
    </message>
    <message>
        <source>{command} failed: {error}</source>
        <translation>{command}失败：{error}</translation>
    </message>
    <message>
        <source>{error}</source>
        <translation>{error}</translation>
    </message>
    <message>
        <source>the wrap-up was not saved: {error}</source>
        <translation>话后处理未保存：{error}</translation>
    </message>
    <message>
        <source>the desk stopped during the call with {number}: please wrap it up</source>
        <translation>与 {number} 通话时坐席程序已停止：请完成该通话的话后处理</translation>
    </message>
    <message>
        <source>the database refused {count} change(s) kept on this computer: they are set aside (agentdesk journal status)</source>
        <translation>数据库拒绝了本机保存的 {count} 项更改：已另行保留（agentdesk journal status）</translation>
    </message>
    <message>
        <source>the call was not placed: {error}</source>
        <translation>呼叫未拨出：{error}</translation>
    </message>
    <message>
        <source>the dialer stopped: {error}</source>
        <translation>外呼已停止：{error}</translation>
    </message>
    <message>
        <source>the dialer stopped: {who} was not dialled: {why}</source>
        <translation>外呼已停止：未拨打 {who}：{why}</translation>
    </message>
    <message>
        <source>{who} was not dialled: {why}</source>
        <translation>未拨打 {who}：{why}</translation>
    </message>
    <message>
        <source>entry skipped: {error}</source>
        <translation>已跳过该条目：{error}</translation>
    </message>
    <message>
        <source>the attempt on {who} was not recorded: {error}</source>
        <translation>对 {who} 的拨打未记录：{error}</translation>
    </message>
    <message>
        <source>the wrap-up was not applied to {who}: {error}</source>
        <translation>话后处理未应用到 {who}：{error}</translation>
    </message>
    <message>
        <source>the attempt on {who} is kept on this computer: it reaches the campaign when the database returns</source>
        <translation>对 {who} 的拨打记录已保存在本机：数据库恢复后会计入活动</translation>
    </message>
    <message>
        <source>{count} change(s) kept on this computer for {database} still wait: if that is this database under its old address, apply them with: agentdesk journal replay --from {file}</source>
        <translation>本机为 {database} 保存的 {count} 项更改仍在等待：如果那是本数据库的旧地址，请用以下命令应用：agentdesk journal replay --from {file}</translation>
    </message>
    <message>
        <source>the attempt on {who} is in the campaign&apos;s history, but the entry had moved on: {error}</source>
        <translation>对 {who} 的拨打已记入活动历史，但该名单条目已被处理：{error}</translation>
    </message>
    <message>
        <source>answer</source>
        <translation>接听</translation>
    </message>
    <message>
        <source>hang up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>hold</source>
        <translation>保持</translation>
    </message>
    <message>
        <source>resume</source>
        <translation>恢复通话</translation>
    </message>
    <message>
        <source>mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>unmute</source>
        <translation>取消静音</translation>
    </message>
    <message>
        <source>record</source>
        <translation>录音</translation>
    </message>
    <message>
        <source>stop recording</source>
        <translation>停止录音</translation>
    </message>
    <message>
        <source>transfer</source>
        <translation>转接</translation>
    </message>
    <message>
        <source>consult call</source>
        <translation>咨询呼叫</translation>
    </message>
    <message>
        <source>complete transfer</source>
        <translation>完成转接</translation>
    </message>
    <message>
        <source>cancel transfer</source>
        <translation>取消转接</translation>
    </message>
    <message>
        <source>register</source>
        <translation>注册</translation>
    </message>
    <message>
        <source>reject</source>
        <translation>拒接</translation>
    </message>
    <message>
        <source>enter a number</source>
        <translation>请输入号码</translation>
    </message>
    <message>
        <source>finish the current call first</source>
        <translation>请先结束当前通话</translation>
    </message>
    <message>
        <source>there is no call to wrap up</source>
        <translation>没有需要话后处理的通话</translation>
    </message>
    <message>
        <source>choose a disposition</source>
        <translation>请选择处理结果</translation>
    </message>
    <message>
        <source>already saving</source>
        <translation>正在保存</translation>
    </message>
    <message>
        <source>the agent cannot take a call now</source>
        <translation>坐席现在无法接听电话</translation>
    </message>
    <message>
        <source>log in first</source>
        <translation>请先登录</translation>
    </message>
    <message>
        <source>finish wrap-up first</source>
        <translation>请先完成话后处理</translation>
    </message>
    <message>
        <source>there is no call</source>
        <translation>当前没有通话</translation>
    </message>
    <message>
        <source>already logged in</source>
        <translation>已经登录</translation>
    </message>
    <message>
        <source>already logged out</source>
        <translation>已经退出</translation>
    </message>
    <message>
        <source>already available</source>
        <translation>已经是就绪状态</translation>
    </message>
    <message>
        <source>you will be available again when the call is over</source>
        <translation>通话结束后将恢复就绪</translation>
    </message>
    <message>
        <source>a not-ready reason is required</source>
        <translation>需要填写未就绪原因</translation>
    </message>
    <message>
        <source>the not-ready reason is too long</source>
        <translation>未就绪原因过长</translation>
    </message>
    <message>
        <source>the agent is logged out</source>
        <translation>坐席已退出</translation>
    </message>
    <message>
        <source>the agent is not ready</source>
        <translation>坐席未就绪</translation>
    </message>
    <message>
        <source>the agent already has a call</source>
        <translation>坐席已有通话</translation>
    </message>
    <message>
        <source>the agent is in wrap-up</source>
        <translation>坐席正在话后处理</translation>
    </message>
    <message>
        <source>the call was already answered</source>
        <translation>通话已接听</translation>
    </message>
    <message>
        <source>the call is already on hold</source>
        <translation>通话已处于保持状态</translation>
    </message>
    <message>
        <source>the call has not been answered</source>
        <translation>通话尚未接听</translation>
    </message>
    <message>
        <source>the call has ended</source>
        <translation>通话已结束</translation>
    </message>
    <message>
        <source>the call is not on hold</source>
        <translation>通话未处于保持状态</translation>
    </message>
    <message>
        <source>the call has already ended</source>
        <translation>通话已经结束</translation>
    </message>
</context>
<context>
    <name>OpportunityEditor</name>
    <message>
        <source>Opportunity</source>
        <translation>商机</translation>
    </message>
    <message>
        <source>New opportunity</source>
        <translation>新建商机</translation>
    </message>
    <message>
        <source>Search accounts</source>
        <translation>搜索客户</translation>
    </message>
    <message>
        <source>Name or phone</source>
        <translation>姓名或电话</translation>
    </message>
    <message>
        <source>What happens next, and when</source>
        <translation>下一步做什么、何时做</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Account:</source>
        <translation>客户：</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>联系人：</translation>
    </message>
    <message>
        <source>Amount:</source>
        <translation>金额：</translation>
    </message>
    <message>
        <source>Close date:</source>
        <translation>预计成交日期：</translation>
    </message>
    <message>
        <source>Owner:</source>
        <translation>负责人：</translation>
    </message>
    <message>
        <source>Stage:</source>
        <translation>阶段：</translation>
    </message>
    <message>
        <source>Probability:</source>
        <translation>赢单概率：</translation>
    </message>
    <message>
        <source>Next step:</source>
        <translation>下一步：</translation>
    </message>
    <message>
        <source>Stage history</source>
        <translation>阶段历史</translation>
    </message>
    <message>
        <source>Add line</source>
        <translation>添加行</translation>
    </message>
    <message>
        <source>Remove line</source>
        <translation>删除行</translation>
    </message>
    <message>
        <source>Product lines</source>
        <translation>产品明细</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新载入</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Me</source>
        <translation>我</translation>
    </message>
    <message>
        <source>Opportunity {name}</source>
        <translation>商机 {name}</translation>
    </message>
    <message>
        <source>Nobody</source>
        <translation>无人</translation>
    </message>
    <message>
        <source>Quantity, price and discount must be numbers.</source>
        <translation>数量、单价和折扣必须是数字。</translation>
    </message>
    <message>
        <source>{currency}, the sum of the lines</source>
        <translation>{currency}，为各明细行之和</translation>
    </message>
    <message>
        <source>Lines: {amount}</source>
        <translation>明细合计：{amount}</translation>
    </message>
    <message>
        <source>Choose the account.</source>
        <translation>请选择客户。</translation>
    </message>
    <message>
        <source>The amount must be a number.</source>
        <translation>金额必须是数字。</translation>
    </message>
    <message>
        <source>Opportunity {name} saved.</source>
        <translation>商机 {name} 已保存。</translation>
    </message>
    <message>
        <source>Someone else saved this opportunity while you were editing it: nothing was changed. Your edits are still in the form; Reload shows theirs.</source>
        <translation>您编辑期间，其他人已保存了此商机：本次未作任何更改。您的修改仍保留在表单中；点击“重新载入”查看对方的版本。</translation>
    </message>
</context>
<context>
    <name>OrderDialog</name>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>New order</source>
        <translation>新订单</translation>
    </message>
    <message>
        <source>Account name or id</source>
        <translation>客户名称或编号</translation>
    </message>
    <message>
        <source>no date</source>
        <translation>未定</translation>
    </message>
    <message>
        <source>Payment terms</source>
        <translation>付款条件</translation>
    </message>
    <message>
        <source>Delivery:</source>
        <translation>交货日期：</translation>
    </message>
    <message>
        <source>Add line</source>
        <translation>添加行</translation>
    </message>
    <message>
        <source>Remove line</source>
        <translation>删除行</translation>
    </message>
    <message>
        <source>Save lines</source>
        <translation>保存明细</translation>
    </message>
    <message>
        <source>Submit for approval</source>
        <translation>提交审批</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>驳回…</translation>
    </message>
    <message>
        <source>Fulfilled</source>
        <translation>已履行</translation>
    </message>
    <message>
        <source>Cancel order</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Order {number} · {status}</source>
        <translation>订单 {number} · {status}</translation>
    </message>
    <message>
        <source>Account: {account}</source>
        <translation>客户：{account}</translation>
    </message>
    <message>
        <source>Delivery: {day}</source>
        <translation>交货：{day}</translation>
    </message>
    <message>
        <source>Payment terms: {terms}</source>
        <translation>付款条件：{terms}</translation>
    </message>
    <message>
        <source>Rejected because: {reason}</source>
        <translation>驳回原因：{reason}</translation>
    </message>
    <message>
        <source>Net {net} · Tax {tax} · Gross {gross}</source>
        <translation>净额 {net} · 税额 {tax} · 含税总额 {gross}</translation>
    </message>
    <message>
        <source>This order is {status}: it is locked for you. A sales manager can still change it.</source>
        <translation>此订单{status}：您已不能修改。销售经理仍可修改。</translation>
    </message>
    <message>
        <source>Approved: locked for the rep. Your changes are audited.</source>
        <translation>已批准：销售代表不能再修改。您的修改会记入审计日志。</translation>
    </message>
    <message>
        <source>Quantity and discount must be numbers above zero.</source>
        <translation>数量和折扣必须是大于零的数字。</translation>
    </message>
    <message>
        <source>Order {number} saved.</source>
        <translation>订单 {number} 已保存。</translation>
    </message>
    <message>
        <source>Reject order</source>
        <translation>驳回订单</translation>
    </message>
    <message>
        <source>Why is this order rejected?</source>
        <translation>驳回此订单的原因？</translation>
    </message>
</context>
<context>
    <name>OrdersList</name>
    <message>
        <source>All orders</source>
        <translation>全部订单</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>含税总额</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>New order…</source>
        <translation>新建订单…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
</context>
<context>
    <name>PartyPicker</name>
    <message>
        <source>List</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>Show the choices</source>
        <translation>显示可选项</translation>
    </message>
    <message>
        <source>Nothing found</source>
        <translation>未找到</translation>
    </message>
</context>
<context>
    <name>PartySalesBox</name>
    <message>
        <source>Sales</source>
        <translation>销售</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>New opportunity…</source>
        <translation>新建商机…</translation>
    </message>
    <message>
        <source>New quote…</source>
        <translation>新建报价…</translation>
    </message>
    <message>
        <source>Open opportunities ({n})</source>
        <translation>进行中的商机（{n}）</translation>
    </message>
    <message>
        <source>Quotes ({n})</source>
        <translation>报价（{n}）</translation>
    </message>
    <message>
        <source>Orders ({n})</source>
        <translation>订单（{n}）</translation>
    </message>
    <message>
        <source>{number} revision {revision}</source>
        <translation>{number} 第 {revision} 版</translation>
    </message>
</context>
<context>
    <name>PickRefusal</name>
    <message>
        <source>it is no longer in the campaign</source>
        <translation>该条目已不在外呼活动中</translation>
    </message>
    <message>
        <source>the campaign is paused</source>
        <translation>外呼活动已暂停</translation>
    </message>
    <message>
        <source>another agent has it</source>
        <translation>其他坐席正在处理</translation>
    </message>
    <message>
        <source>it is finished</source>
        <translation>该条目已完成</translation>
    </message>
    <message>
        <source>it is out of attempts</source>
        <translation>拨打次数已用完</translation>
    </message>
    <message>
        <source>its number is invalid</source>
        <translation>号码无效</translation>
    </message>
    <message>
        <source>its number is on a do-not-call list</source>
        <translation>号码在勿扰名单中</translation>
    </message>
    <message>
        <source>it is another agent&apos;s callback</source>
        <translation>这是其他坐席的回拨</translation>
    </message>
    <message>
        <source>it is outside calling hours</source>
        <translation>不在允许拨打时段</translation>
    </message>
    <message>
        <source>its time zone is unknown</source>
        <translation>时区未知</translation>
    </message>
    <message>
        <source>its next try is not due yet</source>
        <translation>尚未到下次重拨时间</translation>
    </message>
    <message>
        <source>it is not due yet</source>
        <translation>回拨尚未到期</translation>
    </message>
</context>
<context>
    <name>PipelineView</name>
    <message>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <source>All stages</source>
        <translation>全部阶段</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Owner:</source>
        <translation>负责人：</translation>
    </message>
    <message>
        <source>Stage:</source>
        <translation>阶段：</translation>
    </message>
    <message>
        <source>Closing from:</source>
        <translation>预计成交自：</translation>
    </message>
    <message>
        <source>to:</source>
        <translation>至：</translation>
    </message>
    <message>
        <source>New opportunity…</source>
        <translation>新建商机…</translation>
    </message>
    <message>
        <source>Opportunity</source>
        <translation>商机</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Close date</source>
        <translation>预计成交日期</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Load more</source>
        <translation>加载更多</translation>
    </message>
    <message>
        <source>Board</source>
        <translation>看板</translation>
    </message>
    <message>
        <source>List</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>{name} moved to {stage}.</source>
        <translation>{name} 已移至{stage}。</translation>
    </message>
</context>
<context>
    <name>PopViews</name>
    <message>
        <source>Queue: {queue}</source>
        <translation>队列：{queue}</translation>
    </message>
</context>
<context>
    <name>ProbabilityField</name>
    <message>
        <source>Use the stage&apos;s</source>
        <translation>使用阶段默认值</translation>
    </message>
    <message>
        <source>fixed by the stage</source>
        <translation>由阶段固定</translation>
    </message>
    <message>
        <source>override (the stage says {p} %)</source>
        <translation>手动设定（阶段默认 {p} %）</translation>
    </message>
    <message>
        <source>the stage&apos;s</source>
        <translation>阶段默认值</translation>
    </message>
</context>
<context>
    <name>QuoteEditor</name>
    <message>
        <source>Quote</source>
        <translation>报价</translation>
    </message>
    <message>
        <source>New quote</source>
        <translation>新报价</translation>
    </message>
    <message>
        <source>Account name or id</source>
        <translation>客户名称或编号</translation>
    </message>
    <message>
        <source>Standard prices</source>
        <translation>标准价格</translation>
    </message>
    <message>
        <source>Account:</source>
        <translation>客户：</translation>
    </message>
    <message>
        <source>Price list:</source>
        <translation>价目表：</translation>
    </message>
    <message>
        <source>Currency:</source>
        <translation>币种：</translation>
    </message>
    <message>
        <source>Contact&apos;s name or phone</source>
        <translation>联系人姓名或电话</translation>
    </message>
    <message>
        <source>no date</source>
        <translation>未定</translation>
    </message>
    <message>
        <source>Payment and delivery terms</source>
        <translation>付款及交货条件</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>联系人：</translation>
    </message>
    <message>
        <source>Valid until:</source>
        <translation>有效期至：</translation>
    </message>
    <message>
        <source>Terms:</source>
        <translation>条款：</translation>
    </message>
    <message>
        <source>Add line</source>
        <translation>添加行</translation>
    </message>
    <message>
        <source>Remove line</source>
        <translation>删除行</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Mark sent</source>
        <translation>标记为已发送</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>客户已接受</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>客户已拒绝</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Create order</source>
        <translation>生成订单</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Quote {number} · revision {revision} · {status}</source>
        <translation>报价 {number} · 第 {revision} 版 · {status}</translation>
    </message>
    <message>
        <source>Save as new revision</source>
        <translation>保存为新版本</translation>
    </message>
    <message>
        <source>Quantity and discount must be numbers above zero.</source>
        <translation>数量和折扣必须是大于零的数字。</translation>
    </message>
    <message>
        <source>Net: {amount}</source>
        <translation>净额：{amount}</translation>
    </message>
    <message>
        <source>Tax: {amount}</source>
        <translation>税额：{amount}</translation>
    </message>
    <message>
        <source>Gross: {amount}</source>
        <translation>含税总额：{amount}</translation>
    </message>
    <message>
        <source>Quote {number} saved.</source>
        <translation>报价 {number} 已保存。</translation>
    </message>
    <message>
        <source>Save quote as PDF</source>
        <translation>将报价另存为 PDF</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Saved {file}.</source>
        <translation>已保存 {file}。</translation>
    </message>
</context>
<context>
    <name>QuotesList</name>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>含税总额</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>New quote…</source>
        <translation>新建报价…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Create order from quote</source>
        <translation>由报价生成订单</translation>
    </message>
</context>
<context>
    <name>RecentCallsPanel</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Talk</source>
        <translation>通话时长</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>No calls yet.</source>
        <translation>暂无通话。</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>回拨</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>未接</translation>
    </message>
</context>
<context>
    <name>RecordView</name>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>two letters, e.g. US</source>
        <translation>两个字母，例如 CN</translation>
    </message>
    <message>
        <source>another number for this record</source>
        <translation>为此记录添加其他号码</translation>
    </message>
    <message>
        <source>Add number</source>
        <translation>添加号码</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>保存修改</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>▶ Play recording</source>
        <translation>▶ 播放录音</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无姓名）</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>通话</translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation>未结工单</translation>
    </message>
    <message>
        <source>Open opportunities</source>
        <translation>进行中的商机</translation>
    </message>
    <message>
        <source>Callbacks</source>
        <translation>回拨</translation>
    </message>
    <message>
        <source>callback</source>
        <translation>回拨</translation>
    </message>
    <message>
        <source>Double-click to open it on the case desk</source>
        <translation>双击在工单台中打开</translation>
    </message>
    <message>
        <source>no disposition</source>
        <translation>无处理结果</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>线索</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>{text}  ● rec</source>
        <translation>{text}  ● 录音</translation>
    </message>
    <message>
        <source>Recorded: select and press Play</source>
        <translation>有录音：选中后按“播放”</translation>
    </message>
    <message>
        <source>Call {number} ({kind}). Right-click to remove it.</source>
        <translation>呼叫 {number}（{kind}）。右键单击可删除此号码。</translation>
    </message>
    <message>
        <source>Remove this number</source>
        <translation>删除此号码</translation>
    </message>
    <message>
        <source>work</source>
        <translation>工作</translation>
    </message>
    <message>
        <source>mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>home</source>
        <translation>住宅</translation>
    </message>
    <message>
        <source>fax</source>
        <translation>传真</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>first-last</source>
        <comment>name order in forms: translate as first-last or last-first</comment>
        <translation>last-first</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>First name:</source>
        <translation>名：</translation>
    </message>
    <message>
        <source>Last name:</source>
        <translation>姓：</translation>
    </message>
    <message>
        <source>Company:</source>
        <translation>公司：</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>职位：</translation>
    </message>
    <message>
        <source>Industry:</source>
        <translation>行业：</translation>
    </message>
    <message>
        <source>Website:</source>
        <translation>网站：</translation>
    </message>
    <message>
        <source>Email:</source>
        <translation>电子邮件：</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <source>City:</source>
        <translation>城市：</translation>
    </message>
    <message>
        <source>Country:</source>
        <translation>国家/地区：</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>E-mail “{value}” is not an e-mail address (like name@example.com).</source>
        <translation>电子邮件“{value}”不是有效的邮箱地址（格式如 name@example.com）。</translation>
    </message>
    <message>
        <source>Country “{value}” is not a two-letter ISO country code (such as US, CN, GB).</source>
        <translation>国家/地区“{value}”不是两位 ISO 国家代码（如 CN、US、GB）。</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Contacted</source>
        <translation>已联系</translation>
    </message>
    <message>
        <source>Qualified</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Disqualified</source>
        <translation>已排除</translation>
    </message>
    <message>
        <source>Converted</source>
        <translation>已转化</translation>
    </message>
    <message>
        <source>You can read this record; your role does not allow changing it.</source>
        <translation>您可以查看此记录，但您的角色不允许修改它。</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>没有修改。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Not saved: {problem}</source>
        <translation>未保存：{problem}</translation>
    </message>
    <message>
        <source>Not saved: {e}</source>
        <translation>未保存：{e}</translation>
    </message>
    <message>
        <source>Not saved: someone else deleted this record meanwhile.</source>
        <translation>未保存：其他人已在此期间删除了这条记录。</translation>
    </message>
    <message>
        <source>Someone else saved this record while you were editing. Their changes are shown; your other edits are kept. Check and save again.</source>
        <translation>您编辑期间，其他人保存了这条记录。现已显示对方的修改，您的其他修改已保留。请核对后再次保存。</translation>
    </message>
    <message>
        <source>You had typed: {values}</source>
        <translation>您输入的是：{values}</translation>
    </message>
    <message>
        <source>Adding {number}…</source>
        <translation>正在添加 {number}…</translation>
    </message>
    <message>
        <source>Removing {number}…</source>
        <translation>正在删除 {number}…</translation>
    </message>
    <message>
        <source>Someone else changed or removed this number meanwhile: reloaded.</source>
        <translation>其他人已在此期间修改或删除了此号码：已重新加载。</translation>
    </message>
    <message>
        <source>Not a phone number: {reason}</source>
        <translation>不是有效的电话号码：{reason}</translation>
    </message>
</context>
<context>
    <name>ReportColumns</name>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Interval</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Hour</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>Offered</source>
        <translation>呼入</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>接通</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>放弃</translation>
    </message>
    <message>
        <source>Short abandons</source>
        <translation>短时放弃</translation>
    </message>
    <message>
        <source>SL %</source>
        <translation>服务水平 %</translation>
    </message>
    <message>
        <source>ASA s</source>
        <translation>平均应答 秒</translation>
    </message>
    <message>
        <source>AHT s</source>
        <translation>平均处理 秒</translation>
    </message>
    <message>
        <source>Longest wait s</source>
        <translation>最长等待 秒</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>In</source>
        <translation>呼入</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>呼出</translation>
    </message>
    <message>
        <source>Talk s</source>
        <translation>通话 秒</translation>
    </message>
    <message>
        <source>Hold s</source>
        <translation>保持 秒</translation>
    </message>
    <message>
        <source>Wrap-up s</source>
        <translation>话后 秒</translation>
    </message>
    <message>
        <source>Not ready s</source>
        <translation>未就绪 秒</translation>
    </message>
    <message>
        <source>Available s</source>
        <translation>空闲 秒</translation>
    </message>
    <message>
        <source>Occupancy %</source>
        <translation>占用率 %</translation>
    </message>
    <message>
        <source>Calls/h</source>
        <translation>每小时呼叫</translation>
    </message>
    <message>
        <source>Disposition</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>呼叫</translation>
    </message>
    <message>
        <source>Share %</source>
        <translation>占比 %</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Dialed</source>
        <translation>已拨号码</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>拨打次数</translation>
    </message>
    <message>
        <source>Contacted</source>
        <translation>已接触</translation>
    </message>
    <message>
        <source>Successes</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>剩余</translation>
    </message>
</context>
<context>
    <name>ReportsDialog</name>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Dispositions</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Campaigns</source>
        <translation>外呼活动</translation>
    </message>
    <message>
        <source>Hourly</source>
        <translation>分时</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Save as CSV…</source>
        <translation>另存为 CSV…</translation>
    </message>
    <message>
        <source>Save as XLSX…</source>
        <translation>另存为 XLSX…</translation>
    </message>
    <message>
        <source>Preview a report to see its first page.</source>
        <translation>预览报表即可在此看到第一页。</translation>
    </message>
    <message>
        <source>The report could not be made: %1</source>
        <translation>无法生成报表：%1</translation>
    </message>
    <message>
        <source>Making the report…</source>
        <translation>正在生成报表…</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>No page image: %1</source>
        <translation>无法显示页面图像：%1</translation>
    </message>
    <message>
        <source>%1 rows, %2 to %3 (%4). Service level = %5.</source>
        <translation>共 %1 行，%2 至 %3（%4）。服务水平 = %5。</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>保存报表</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>RolesTab</name>
    <message>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>Capabilities</source>
        <translation>功能权限</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>保存修改</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>撤销修改</translation>
    </message>
    <message>
        <source>How far each action reaches: own records, the team&apos;s, the department&apos;s (its teams and the teams below), or all. Records nobody owns are open at any depth but none.</source>
        <translation>每项操作的范围：本人的记录、本团队的、本部门的（其下各团队及更下级团队）或全部。无人负责的记录在“无”以外的任何范围都可操作。</translation>
    </message>
    <message>
        <source>{count} unsaved change(s): save or revert them before picking another role.</source>
        <translation>{count} 项修改尚未保存：请先保存或撤销，再选择其他角色。</translation>
    </message>
    <message>
        <source>{role}: saved.</source>
        <translation>{role}：已保存。</translation>
    </message>
</context>
<context>
    <name>SalesMenu</name>
    <message>
        <source>Sa&amp;les</source>
        <translation>销售(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Pipeline…</source>
        <translation>销售管道(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Quotes…</source>
        <translation>报价(&amp;Q)…</translation>
    </message>
    <message>
        <source>&amp;Orders…</source>
        <translation>订单(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Forecast…</source>
        <translation>销售预测(&amp;F)…</translation>
    </message>
</context>
<context>
    <name>SalesWindow</name>
    <message>
        <source>Sales</source>
        <translation>销售</translation>
    </message>
    <message>
        <source>Pipeline</source>
        <translation>销售管道</translation>
    </message>
    <message>
        <source>Quotes</source>
        <translation>报价</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Forecast</source>
        <translation>销售预测</translation>
    </message>
</context>
<context>
    <name>SalesWords</name>
    <message>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>awaiting approval</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>fulfilled</source>
        <translation>已履行</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>The database could not do this: {error}</source>
        <translation>数据库无法完成此操作：{error}</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>Search name, company, phone or email</source>
        <translation>搜索姓名、公司、电话或电子邮件</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>公司</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Assign selected to…</source>
        <translation>将所选记录分配给…</translation>
    </message>
    <message>
        <source>Type at least two letters or a few digits.</source>
        <translation>请至少输入两个字或几位数字。</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>呼叫</translation>
    </message>
    <message>
        <source>Search failed: {e}</source>
        <translation>搜索失败：{e}</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>{n} found</source>
        <translation>找到 {n} 条</translation>
    </message>
    <message>
        <source>Assign records</source>
        <translation>分配记录</translation>
    </message>
    <message>
        <source>Give the {n} selected records to:</source>
        <translation>将所选的 {n} 条记录交给：</translation>
    </message>
    <message>
        <source>{n} records assigned to {user}.</source>
        <translation>已将 {n} 条记录分配给 {user}。</translation>
    </message>
    <message>
        <source>Assigning…</source>
        <translation>正在分配…</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Direct (no registrar)</source>
        <translation>直连（无注册服务器）</translation>
    </message>
    <message>
        <source>Register with a PBX</source>
        <translation>注册到 PBX</translation>
    </message>
    <message>
        <source>unchanged (stored in the keyring)</source>
        <translation>未更改（保存在密钥环中）</translation>
    </message>
    <message>
        <source>Where calls to phone numbers go (a PBX or SIP trunk). Without it, direct mode can call SIP addresses only and the dialer does not start.</source>
        <translation>拨打电话号码时呼叫发往的地址（PBX 或 SIP 中继）。未设置时，直连模式只能拨打 SIP 地址，外呼也无法启动。</translation>
    </message>
    <message>
        <source>SIP account</source>
        <translation>SIP 账号</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <source>Registrar:</source>
        <translation>注册服务器：</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Auth user:</source>
        <translation>认证用户：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Outbound proxy:</source>
        <translation>出局代理：</translation>
    </message>
    <message>
        <source>Bind address:</source>
        <translation>绑定地址：</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <source>Transport:</source>
        <translation>传输协议：</translation>
    </message>
    <message>
        <source>Record every call</source>
        <translation>录制所有通话</translation>
    </message>
    <message>
        <source>default folder</source>
        <translation>默认文件夹</translation>
    </message>
    <message>
        <source>Audio and recording</source>
        <translation>音频与录音</translation>
    </message>
    <message>
        <source>Microphone:</source>
        <translation>麦克风：</translation>
    </message>
    <message>
        <source>Speaker:</source>
        <translation>扬声器：</translation>
    </message>
    <message>
        <source>Recordings folder:</source>
        <translation>录音文件夹：</translation>
    </message>
    <message>
        <source>embedded database</source>
        <translation>内置数据库</translation>
    </message>
    <message>
        <source>Answer automatically after</source>
        <translation>自动应答延迟</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>as callers should hear it</source>
        <translation>客户听到的称呼</translation>
    </message>
    <message>
        <source>The name call scripts say for you: {agent_name} in a script.</source>
        <translation>话术中 {agent_name} 所说的您的名字。</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>坐席台</translation>
    </message>
    <message>
        <source>Your name:</source>
        <translation>您的名字：</translation>
    </message>
    <message>
        <source>Database URL:</source>
        <translation>数据库 URL：</translation>
    </message>
    <message>
        <source>Default region:</source>
        <translation>默认地区：</translation>
    </message>
    <message>
        <source>Wrap-up time:</source>
        <translation>话后处理时长：</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>界面语言：</translation>
    </message>
    <message>
        <source>Changes apply the next time AgentDesk starts.</source>
        <translation>修改将在下次启动 AgentDesk 时生效。</translation>
    </message>
    <message>
        <source>system default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>No keyring: the password is kept for this run only.</source>
        <translation>没有可用的密钥环：密码仅在本次运行期间保留。</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Answer the ringing call</source>
        <translation>接听来电</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>Hold or resume the call</source>
        <translation>保持或恢复通话</translation>
    </message>
    <message>
        <source>Mute or unmute</source>
        <translation>静音或取消静音</translation>
    </message>
    <message>
        <source>Transfer to the number in the field</source>
        <translation>转接到号码栏中的号码</translation>
    </message>
    <message>
        <source>Go to the number field</source>
        <translation>转到号码栏</translation>
    </message>
    <message>
        <source>Search records</source>
        <translation>搜索记录</translation>
    </message>
    <message>
        <source>Show the wrap-up</source>
        <translation>显示话后处理</translation>
    </message>
    <message>
        <source>Show the callbacks</source>
        <translation>显示回拨</translation>
    </message>
    <message>
        <source>Show the recent calls</source>
        <translation>显示最近通话</translation>
    </message>
    <message>
        <source>Show the dialer</source>
        <translation>显示外呼</translation>
    </message>
    <message>
        <source>Reload the lists and counts</source>
        <translation>重新读取列表和计数</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>List the keyboard shortcuts</source>
        <translation>列出键盘快捷键</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
</context>
<context>
    <name>SoftphoneBar</name>
    <message>
        <source>Break</source>
        <translation>小休</translation>
    </message>
    <message>
        <source>Lunch</source>
        <translation>午餐</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <source>Admin work</source>
        <translation>行政事务</translation>
    </message>
    <message>
        <source>Your availability for calls</source>
        <translation>您的接听状态</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Not ready: {reason}</source>
        <translation>示忙：{reason}</translation>
    </message>
    <message>
        <source>Number or SIP address</source>
        <translation>号码或 SIP 地址</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>呼叫</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>接听</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒接</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>保持</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>录音</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转接</translation>
    </message>
    <message>
        <source>Blind transfer to the number in the field</source>
        <translation>直接转接到号码栏中的号码</translation>
    </message>
    <message>
        <source>Consult</source>
        <translation>咨询</translation>
    </message>
    <message>
        <source>Call the number in the field, then transfer</source>
        <translation>先呼叫号码栏中的号码，再转接</translation>
    </message>
    <message>
        <source>Complete transfer</source>
        <translation>完成转接</translation>
    </message>
    <message>
        <source>Cancel transfer</source>
        <translation>取消转接</translation>
    </message>
    <message>
        <source>Keypad</source>
        <translation>拨号盘</translation>
    </message>
    <message>
        <source>Go to the number field</source>
        <translation>转到号码栏</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Cannot call: {why}</source>
        <translation>无法呼叫：{why}</translation>
    </message>
    <message>
        <source>Not changed: {why}</source>
        <translation>未更改：{why}</translation>
    </message>
    <message>
        <source>● Direct SIP {detail}</source>
        <translation>● SIP 直连 {detail}</translation>
    </message>
    <message>
        <source>● Registered</source>
        <translation>● 已注册</translation>
    </message>
    <message>
        <source>○ Registering…</source>
        <translation>○ 正在注册…</translation>
    </message>
    <message>
        <source>○ Not registered</source>
        <translation>○ 未注册</translation>
    </message>
    <message>
        <source>✕ Registration failed {detail}</source>
        <translation>✕ 注册失败 {detail}</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>已签出</translation>
    </message>
    <message>
        <source>Not ready</source>
        <translation>示忙</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>振铃中</translation>
    </message>
    <message>
        <source>On call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>保持中</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source> (then not ready: {reason})</source>
        <translation>（之后示忙：{reason}）</translation>
    </message>
    <message>
        <source>Withheld</source>
        <translation>隐藏号码</translation>
    </message>
</context>
<context>
    <name>StageColumn</name>
    <message>
        <source>retired</source>
        <translation>已停用</translation>
    </message>
</context>
<context>
    <name>StageList</name>
    <message>
        <source>Your role does not let you move this one.</source>
        <translation>您的角色不允许移动此商机。</translation>
    </message>
</context>
<context>
    <name>StagesTab</name>
    <message>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>won</source>
        <translation>赢单</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>丢单</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>顺序</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Chinese label</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Retire</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Selected stage</source>
        <translation>所选阶段</translation>
    </message>
    <message>
        <source>Save stage</source>
        <translation>保存阶段</translation>
    </message>
    <message>
        <source>Label:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Chinese label:</source>
        <translation>中文名称：</translation>
    </message>
    <message>
        <source>Default probability:</source>
        <translation>默认概率：</translation>
    </message>
    <message>
        <source>New stage</source>
        <translation>新阶段</translation>
    </message>
    <message>
        <source>e.g. demo_given</source>
        <translation>例如 demo_given</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Add stage</source>
        <translation>添加阶段</translation>
    </message>
    <message>
        <source>Code:</source>
        <translation>代码：</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>A new stage goes after the selected one (none selected: before the won and lost stages). Won is always 100 % and lost 0 %.</source>
        <translation>新阶段排在所选阶段之后（未选择时排在赢单和丢单阶段之前）。赢单始终为 100 %，丢单始终为 0 %。</translation>
    </message>
    <message>
        <source>Bring back</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <source>Stage {code} moved to place {order}.</source>
        <translation>阶段 {code} 已移到第 {order} 位。</translation>
    </message>
    <message>
        <source>Stage {code} retired: no opportunity moves into it now.</source>
        <translation>阶段 {code} 已停用：商机不能再移入此阶段。</translation>
    </message>
    <message>
        <source>Stage {code} is in use again.</source>
        <translation>阶段 {code} 已重新启用。</translation>
    </message>
    <message>
        <source>Stage {code} saved.</source>
        <translation>阶段 {code} 已保存。</translation>
    </message>
    <message>
        <source>Stage {code} removed.</source>
        <translation>阶段 {code} 已删除。</translation>
    </message>
    <message>
        <source>Stage {code} added.</source>
        <translation>阶段 {code} 已添加。</translation>
    </message>
</context>
<context>
    <name>StartError</name>
    <message>
        <source>Check that:
• the database server is running and reachable from this computer (the host and port in the URL, a VPN or firewall in between);
• the database name and user are right, and the password (kept in the system keyring) is current;
• the URL is the one you mean: it comes from --db, else the AGENTDESK_DB_URL variable, else [database] url in {config}.</source>
        <translation>请检查：
• 数据库服务器已启动，且本机可以访问（URL 中的主机和端口，中间的 VPN 或防火墙）；
• 数据库名和用户名正确，密码（保存在系统密钥环中）仍然有效；
• URL 是您想用的那个：依次取自 --db、环境变量 AGENTDESK_DB_URL、{config} 中的 [database] url。</translation>
    </message>
    <message>
        <source>Check that the folder of the database file exists, that you may write to it and that the disk is not full. The file comes from --db, else the AGENTDESK_DB_URL variable, else [database] url in {config}, else the embedded database in your data folder.</source>
        <translation>请检查数据库文件所在的文件夹是否存在、您是否有写入权限、磁盘是否已满。文件依次取自 --db、环境变量 AGENTDESK_DB_URL、{config} 中的 [database] url，否则为数据文件夹中的内置数据库。</translation>
    </message>
    <message>
        <source>Check the database URL (postgresql://user@host:port/name or sqlite:///path/to/file.db): it comes from --db, else the AGENTDESK_DB_URL variable, else [database] url in {config}.</source>
        <translation>请检查数据库 URL（postgresql://用户@主机:端口/库名 或 sqlite:///文件路径.db）：依次取自 --db、环境变量 AGENTDESK_DB_URL、{config} 中的 [database] url。</translation>
    </message>
    <message>
        <source>The shared database is at an older schema than this AgentDesk. Ask your administrator to run `agentdesk db upgrade` once for the team, or use the AgentDesk version the team runs.</source>
        <translation>共享数据库的结构版本比此 AgentDesk 旧。请管理员为团队运行一次 `agentdesk db upgrade`，或使用团队正在用的 AgentDesk 版本。</translation>
    </message>
    <message>
        <source>Each user signs in to the shared database with their own login and password. Check the user name in the URL (it comes from --db, else the AGENTDESK_DB_URL variable, else [database] url in {config}); your administrator creates users with `agentdesk user add` and sets passwords with `agentdesk user password`.</source>
        <translation>每位用户以自己的登录名和密码登录共享数据库。请检查 URL 中的用户名（来自 --db，否则为 AGENTDESK_DB_URL 环境变量，否则为 {config} 中的 [database] url）；管理员用 `agentdesk user add` 创建用户，用 `agentdesk user password` 设置密码。</translation>
    </message>
    <message>
        <source>Correct the setting named above in {config}, or remove that line to use the default.</source>
        <translation>请在 {config} 中更正上面指出的设置，或删除该行以使用默认值。</translation>
    </message>
    <message>
        <source>AgentDesk cannot open its database.</source>
        <translation>AgentDesk 无法打开数据库。</translation>
    </message>
    <message>
        <source>AgentDesk cannot start: a setting is wrong.</source>
        <translation>AgentDesk 无法启动：有一项设置不正确。</translation>
    </message>
    <message>
        <source>AgentDesk cannot start</source>
        <translation>AgentDesk 无法启动</translation>
    </message>
</context>
<context>
    <name>TeamsTab</name>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Active members</source>
        <translation>在职成员</translation>
    </message>
    <message>
        <source>New team</source>
        <translation>新建团队</translation>
    </message>
    <message>
        <source>Add team</source>
        <translation>添加团队</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Under:</source>
        <translation>上级：</translation>
    </message>
    <message>
        <source>A team with nothing above it is a department: its manager sees the department&apos;s teams and every team below them.</source>
        <translation>没有上级的团队即为部门：部门经理可以看到本部门的各团队及其所有下级团队。</translation>
    </message>
    <message>
        <source>(nothing: a department)</source>
        <translation>（无：作为部门）</translation>
    </message>
    <message>
        <source>Team {name} added.</source>
        <translation>团队 {name} 已添加。</translation>
    </message>
</context>
<context>
    <name>TestCall</name>
    <message>
        <source>Test call</source>
        <translation>测试呼叫</translation>
    </message>
    <message>
        <source>Calling through the SIP stack on loopback…</source>
        <translation>正在通过 SIP 协议栈呼叫本机回环地址…</translation>
    </message>
    <message>
        <source>Test call: {result}</source>
        <translation>测试呼叫：{result}</translation>
    </message>
    <message>
        <source>Test call failed: {error}</source>
        <translation>测试呼叫失败：{error}</translation>
    </message>
</context>
<context>
    <name>UnknownCallerCard</name>
    <message>
        <source>Unknown caller</source>
        <translation>未知来电</translation>
    </message>
    <message>
        <source>No contact, lead or account has this number.</source>
        <translation>没有联系人、线索或客户使用此号码。</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>电话：</translation>
    </message>
    <message>
        <source>First name:</source>
        <translation>名：</translation>
    </message>
    <message>
        <source>Last name:</source>
        <translation>姓：</translation>
    </message>
    <message>
        <source>Company:</source>
        <translation>公司：</translation>
    </message>
    <message>
        <source>Create contact</source>
        <translation>新建联系人</translation>
    </message>
    <message>
        <source>Create lead</source>
        <translation>新建线索</translation>
    </message>
    <message>
        <source>Record lookup unavailable</source>
        <translation>无法查询客户记录</translation>
    </message>
    <message>
        <source>The database cannot be reached: the desk tries again while the call lasts.</source>
        <translation>无法连接数据库：通话期间将自动重试。</translation>
    </message>
    <message>
        <source>Unknown number</source>
        <translation>未知号码</translation>
    </message>
    <message>
        <source>Number withheld</source>
        <translation>号码已隐藏</translation>
    </message>
    <message>
        <source>Enter a first or last name.</source>
        <translation>请输入名或姓。</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Extension</source>
        <translation>分机</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Active (may sign in and take calls)</source>
        <translation>启用（可登录并接听电话）</translation>
    </message>
    <message>
        <source>Apply changes</source>
        <translation>应用修改</translation>
    </message>
    <message>
        <source>at least 8 characters</source>
        <translation>至少 8 个字符</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <source>Passwords belong to PostgreSQL logins: the embedded SQLite database has none.</source>
        <translation>密码属于 PostgreSQL 登录账号：内置的 SQLite 数据库没有密码。</translation>
    </message>
    <message>
        <source>Transfer records…</source>
        <translation>移交记录…</translation>
    </message>
    <message>
        <source>Give everything this user owns (accounts, contacts, leads, opportunities, cases) and their pending callbacks to the chosen user, e.g. when they leave.</source>
        <translation>把此用户名下的全部记录（客户、联系人、线索、商机、服务单）及其待办回访交给所选用户，例如在其离职时。</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>Team:</source>
        <translation>团队：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Hand over to:</source>
        <translation>移交给：</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <source>e.g. li.na</source>
        <translation>例如 li.na</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Extension:</source>
        <translation>分机：</translation>
    </message>
    <message>
        <source>E-mail:</source>
        <translation>电子邮件：</translation>
    </message>
    <message>
        <source>(no team)</source>
        <translation>（无团队）</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Selected user: {name} ({username})</source>
        <translation>所选用户：{name}（{username}）</translation>
    </message>
    <message>
        <source>Selected user: pick one in the list</source>
        <translation>所选用户：请在列表中选择</translation>
    </message>
    <message>
        <source>User {username} added.</source>
        <translation>用户 {username} 已添加。</translation>
    </message>
    <message>
        <source>User {username} saved.</source>
        <translation>用户 {username} 已保存。</translation>
    </message>
    <message>
        <source>Password set for {username}.</source>
        <translation>已为 {username} 设置密码。</translation>
    </message>
    <message>
        <source>Transfer records</source>
        <translation>移交记录</translation>
    </message>
    <message>
        <source>Give everything {source} owns and their pending callbacks to {target}? Each record kind moved is written to the audit log.</source>
        <translation>把 {source} 名下的全部记录及其待办回访交给 {target}？每类移交的记录都会写入审计日志。</translation>
    </message>
    <message>
        <source>Moved from {source} to {target}: {counts}.</source>
        <translation>已从 {source} 移交给 {target}：{counts}。</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <source>&lt;b&gt;AgentDesk {version}&lt;/b&gt;&lt;br&gt;The call-center agent desktop: softphone, screen pop, customer records, callbacks and the campaign dialer.</source>
        <translation>&lt;b&gt;AgentDesk {version}&lt;/b&gt;&lt;br&gt;呼叫中心坐席桌面：软电话、来电弹屏、客户档案、回拨和外呼活动。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Administration…</source>
        <translation>系统管理(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Call</source>
        <translation>通话(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Search records</source>
        <translation>搜索记录(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Wrap-up</source>
        <translation>话后处理(&amp;W)</translation>
    </message>
    <message>
        <source>Call&amp;backs</source>
        <translation>回拨(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Recent calls</source>
        <translation>最近通话(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Dialer</source>
        <translation>外呼(&amp;D)</translation>
    </message>
    <message>
        <source>Re&amp;load lists and counts</source>
        <translation>重新读取列表和计数(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Cases…</source>
        <translation>服务工单(&amp;C)…</translation>
    </message>
    <message>
        <source>Supervisor &amp;board…</source>
        <translation>班长监控台(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Leads…</source>
        <translation>线索(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Reports…</source>
        <translation>报表(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Test call</source>
        <translation>测试呼叫(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;About AgentDesk</source>
        <translation>关于 AgentDesk(&amp;A)</translation>
    </message>
    <message>
        <source>About AgentDesk</source>
        <translation>关于 AgentDesk</translation>
    </message>
</context>
<context>
    <name>WrapupPanel</name>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>No call to wrap up. The form opens when a call ends.</source>
        <translation>没有需要话后处理的通话。通话结束时此表单会自动打开。</translation>
    </message>
    <message>
        <source>What was the call about?</source>
        <translation>本次通话的内容是什么？</translation>
    </message>
    <message>
        <source>Schedule a callback</source>
        <translation>安排回拨</translation>
    </message>
    <message>
        <source>Callback note</source>
        <translation>回拨备注</translation>
    </message>
    <message>
        <source>In 1 hour</source>
        <translation>1 小时后</translation>
    </message>
    <message>
        <source>Tomorrow 09:00</source>
        <translation>明天 09:00</translation>
    </message>
    <message>
        <source>Next week</source>
        <translation>下周</translation>
    </message>
    <message>
        <source>Create a service case</source>
        <translation>创建服务工单</translation>
    </message>
    <message>
        <source>Case subject</source>
        <translation>工单主题</translation>
    </message>
    <message>
        <source>Link the call to one of the caller&apos;s open cases</source>
        <translation>将通话关联到来电客户的一个未结工单</translation>
    </message>
    <message>
        <source>No opportunity</source>
        <translation>不关联商机</translation>
    </message>
    <message>
        <source>Save wrap-up</source>
        <translation>保存话后处理</translation>
    </message>
    <message>
        <source>Disposition:</source>
        <translation>处理结果：</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Or link to case:</source>
        <translation>或关联到工单：</translation>
    </message>
    <message>
        <source>Opportunity:</source>
        <translation>商机：</translation>
    </message>
    <message>
        <source>Choose a disposition…</source>
        <translation>选择处理结果…</translation>
    </message>
    <message>
        <source>Wrap-up: {number}</source>
        <translation>话后处理：{number}</translation>
    </message>
    <message>
        <source>No case</source>
        <translation>不关联工单</translation>
    </message>
    <message>
        <source>no time limit</source>
        <translation>不限时</translation>
    </message>
    <message>
        <source>{time} left, then saved as default</source>
        <translation>剩余 {time}，到时按默认结果保存</translation>
    </message>
    <message>
        <source>Choose a disposition.</source>
        <translation>请选择处理结果。</translation>
    </message>
    <message>
        <source>Enter the case subject.</source>
        <translation>请输入工单主题。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
</TS>
