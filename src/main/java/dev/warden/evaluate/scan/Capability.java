package dev.warden.evaluate.scan;

/**
 * A thing a crate's code can do, in a given role, in words fit for a review ("reads AWS_SECRET_ACCESS_KEY",
 * "resolves hostnames"). Two versions of a crate are compared by their capability sets.
 */
public record Capability(Role role, String description) implements Comparable<Capability> {

    @Override
    public int compareTo(Capability other) {
        int order = role.compareTo(other.role);
        return order != 0 ? order : description.compareTo(other.description);
    }

    @Override
    public String toString() {
        return role.label() + ": " + description;
    }
}
