package dev.warden.recon.publishers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.recon.intel.IntelHttp;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * crates.io's API for one crate at a time ({@code /api/v1/crates/NAME?include=versions} and its owners), through the
 * intel client's cache and pacing: the fallback for a crate or version the snapshot does not list (published after
 * the dump). The API does not say when an account was created or when an owner was added, so those stay unknown.
 */
public final class LiveCratesIo implements CrateHistories {

    private final IntelHttp http;
    private final String base;

    /** @param base crates.io or a mirror of its API, e.g. {@code https://crates.io} */
    public LiveCratesIo(IntelHttp http, String base) {
        this.http = http;
        this.base = base.replaceAll("/+$", "");
    }

    @Override
    public Map<String, RegistryData.CrateHistory> crates(Collection<String> names) {
        Map<String, RegistryData.CrateHistory> found = new LinkedHashMap<>();
        for (String name : names) {
            history(name).ifPresent(history -> found.put(name, history));
        }
        return found;
    }

    private Optional<RegistryData.CrateHistory> history(String name) {
        Optional<JsonNode> info = json("/api/v1/crates/" + IntelHttp.encode(name) + "?include=versions");
        if (info.isEmpty() || !info.get().path("crate").isObject()) {
            return Optional.empty();
        }
        JsonNode crate = info.get().path("crate");
        List<RegistryData.Release> releases = new ArrayList<>();
        for (JsonNode version : info.get().path("versions")) {
            JsonNode by = version.path("published_by");
            JsonNode trustpub = version.path("trustpub_data");
            releases.add(new RegistryData.Release(version.path("num").asText(), instant(version.path("created_at")),
                    by.isObject() && by.path("login").isTextual() ? new RegistryData.Account(by.path("login")
                            .asText(), null) : null,
                    version.path("yanked").asBoolean(false),
                    version.has("trustpub_data") ? !trustpub.isNull() : null,
                    version.path("license").isTextual() ? version.path("license").asText() : null));
        }
        // The API lists the newest first; histories run oldest first.
        releases.sort(Comparator.comparing(RegistryData.Release::at, Comparator.nullsFirst(Comparator.naturalOrder())));
        List<RegistryData.Owner> owners = new ArrayList<>();
        json("/api/v1/crates/" + IntelHttp.encode(name) + "/owners").ifPresent(body -> {
            for (JsonNode owner : body.path("users")) {
                owners.add(new RegistryData.Owner(owner.path("login").asText(), "team".equals(owner.path("kind")
                        .asText()), null, null));
            }
        });
        String repository = crate.path("repository").isTextual() ? crate.path("repository").asText() : null;
        return Optional.of(new RegistryData.CrateHistory(name, instant(crate.path("created_at")), repository,
                crate.path("downloads").asLong(-1), releases, owners));
    }

    private Optional<JsonNode> json(String pathAndQuery) {
        return IntelHttp.json(http.get("crates.io", URI.create(base + pathAndQuery), Map.of()));
    }

    private static Instant instant(JsonNode value) {
        try {
            return value.isTextual() ? java.time.OffsetDateTime.parse(value.asText()).toInstant() : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
