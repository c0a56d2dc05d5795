package io.membercenter.bench.report;

/** What every benchmark command prints while it runs, one prefixed line each, so all runs read alike. */
public final class Progress {

    private Progress() {}

    public static void say(String message) {
        System.out.println("[bench] " + message);
    }
}
