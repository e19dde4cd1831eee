package org.loyaltyengine.benchmarks.data;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options with defaults. */
public final class Options {

    private final Map<String, String> values = new HashMap<>();

    public Options(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Expected --name value, found " + args[i]);
            }
            String name = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(name, args[++i]);
            } else {
                values.put(name, "true");
            }
        }
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public long getLong(String name, long fallback) {
        return Long.parseLong(get(name, Long.toString(fallback)).replace("_", ""));
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }
}
