package io.membercenter.bench.http;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The Lua scripts {@link Wrk} runs: each picks, per request, a random path of a list (members spread over the
 * shards, so no single cache entry or row is measured), with the caller's key. Each wrk thread seeds its own
 * generator (setup numbers the threads), so threads do not walk the same sequence.
 */
final class WrkScripts {

    private WrkScripts() {}

    /** {@code GET} of a random path among {@code paths}. */
    static String get(String apiKey, List<String> paths) {
        return prelude(apiKey, paths) + """
                request = function()
                  return wrk.format("GET", paths[math.random(#paths)])
                end
                """;
    }

    /** {@code PATCH} of a random path among {@code paths} with a merge patch of the nickname, new on every request. */
    static String patchNickname(String apiKey, List<String> paths) {
        return prelude(apiKey, paths) + """
                wrk.headers["Content-Type"] = "application/merge-patch+json"
                counter = 0
                request = function()
                  counter = counter + 1
                  return wrk.format("PATCH", paths[math.random(#paths)], nil,
                    '{"nickname":"w' .. seed .. '-' .. counter .. '"}')
                end
                """;
    }

    private static String prelude(String apiKey, List<String> paths) {
        if (apiKey.contains("\"") || apiKey.contains("\\")) throw new IllegalArgumentException("key not Lua-safe");
        String list = paths.stream()
                .peek(WrkScripts::requireLuaSafe)
                .map(p -> "\"" + p + "\"")
                .collect(Collectors.joining(",\n"));
        return """
                paths = {
                %s
                }
                wrk.headers["Authorization"] = "Bearer %s"
                local threads = 0
                setup = function(thread)
                  threads = threads + 1
                  thread:set("seed", threads)
                end
                init = function(args)
                  math.randomseed(os.time() * 1000 + (seed or 0))
                end
                """.formatted(list, apiKey);
    }

    private static void requireLuaSafe(String path) {
        if (!path.matches("[A-Za-z0-9/%._@+-]+")) throw new IllegalArgumentException("path not Lua-safe: " + path);
    }
}
