package io.membercenter.failover;

/** One switch, as {@code GET /admin/failover/history} shows it: who moved which kind where, when, why, in which epoch. */
record SwitchEntry(String kind, String from, String to, long epoch, String reason, String by, String at) {}
