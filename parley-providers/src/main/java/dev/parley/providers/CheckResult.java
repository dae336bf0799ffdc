package dev.parley.providers;

/** The outcome of one cheap request that checks a provider's key and reachability, for `./parley providers`. */
public record CheckResult(String provider, boolean ok, String detail) {
    public static CheckResult ok(String provider, String detail) {
        return new CheckResult(provider, true, detail);
    }

    public static CheckResult failed(String provider, String detail) {
        return new CheckResult(provider, false, detail);
    }
}
