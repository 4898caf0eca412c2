package dev.warden.cargo.manifest;

import java.util.List;
import java.util.Map;

/**
 * The {@code [workspace]} section of a root manifest.
 *
 * @param members        member path globs
 * @param exclude        excluded path globs
 * @param defaultMembers {@code default-members}
 * @param dependencies   {@code [workspace.dependencies]} by key, inherited by {@code workspace = true}
 * @param packageFields  {@code [workspace.package]} values (strings) inherited by {@code field.workspace = true}
 */
public record WorkspaceInfo(List<String> members, List<String> exclude, List<String> defaultMembers,
                            Map<String, Dependency> dependencies, Map<String, Object> packageFields, int line) {

    public WorkspaceInfo {
        members = List.copyOf(members);
        exclude = List.copyOf(exclude);
        defaultMembers = List.copyOf(defaultMembers);
        dependencies = Map.copyOf(dependencies);
        packageFields = Map.copyOf(packageFields);
    }
}
