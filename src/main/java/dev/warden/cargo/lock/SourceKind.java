package dev.warden.cargo.lock;

/** Where a package comes from, as encoded by the prefix of a Cargo source id. */
public enum SourceKind {
    REGISTRY("registry"), SPARSE("sparse"), GIT("git"), PATH("path"),
    LOCAL_REGISTRY("local-registry"), DIRECTORY("directory");

    private final String prefix;

    SourceKind(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public boolean isRegistry() {
        return this == REGISTRY || this == SPARSE || this == LOCAL_REGISTRY;
    }
}
