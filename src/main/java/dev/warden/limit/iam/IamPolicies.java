package dev.warden.limit.iam;

import dev.warden.core.WardenException;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what an AWS identity is allowed to do: a policy document ({@code {"Statement": […]}}), or the roles of an
 * {@code aws iam get-account-authorization-details} export with their inline and attached managed policies (the
 * default version of each). Policy documents given as URL-encoded strings, as the IAM API returns them, are decoded.
 */
public final class IamPolicies {

    /** Larger exports exist only for accounts with thousands of roles; past this the file is refused, not buffered. */
    static final long MAX_BYTES = 256L * 1024 * 1024;

    /** One statement. {@code actions} or {@code notActions} is empty, as IAM requires. */
    public record Statement(String file, int line, boolean allow, List<LocatedJson.Scalar> actions,
                            List<LocatedJson.Scalar> notActions, List<LocatedJson.Scalar> resources,
                            boolean notResource, boolean conditional) {
    }

    /**
     * An identity whose permissions are counted: a role of an export, or the file itself for a policy document.
     *
     * @param unread attached policies the export does not contain (their permissions are unknown), by ARN
     */
    public record Principal(String name, String file, int line, List<Statement> statements,
                            List<LocatedJson.Scalar> unread) {
    }

    private IamPolicies() {
    }

    public static List<Principal> read(Path file, String display) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new WardenException(display + ": larger than " + MAX_BYTES + " bytes, not read");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WardenException(display + ": cannot read: " + e.getMessage());
        }
        LocatedJson root;
        try {
            root = LocatedJson.parse(text);
        } catch (IOException e) {
            throw new WardenException(display + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(root instanceof LocatedJson.Obj object)) {
            throw new WardenException(display + ":" + root.line() + ": expected a policy document or an "
                    + "authorization-details export (a JSON object)");
        }
        if (object.get("Statement") != null) {
            return List.of(new Principal(file.getFileName().toString(), display, object.line(),
                    statements(object, display), List.of()));
        }
        if (object.get("RoleDetailList") instanceof LocatedJson.Arr roles) {
            return roles(roles, object.get("Policies"), display);
        }
        throw new WardenException(display + ":" + object.line() + ": neither a policy document (Statement) nor an "
                + "authorization-details export (RoleDetailList)");
    }

    private static List<Principal> roles(LocatedJson.Arr roles, LocatedJson policies, String display) {
        Map<String, LocatedJson> managed = new HashMap<>();
        if (policies instanceof LocatedJson.Arr list) {
            for (LocatedJson policy : list.items()) {
                if (policy instanceof LocatedJson.Obj p && p.get("Arn") instanceof LocatedJson.Scalar arn
                        && p.get("PolicyVersionList") instanceof LocatedJson.Arr versions) {
                    for (LocatedJson version : versions.items()) {
                        if (version instanceof LocatedJson.Obj v && v.get("IsDefaultVersion")
                                instanceof LocatedJson.Scalar isDefault && "true".equals(isDefault.text())) {
                            managed.put(arn.text(), v.get("Document"));
                        }
                    }
                }
            }
        }
        List<Principal> principals = new ArrayList<>();
        for (LocatedJson item : roles.items()) {
            if (!(item instanceof LocatedJson.Obj role) || !(role.get("RoleName") instanceof LocatedJson.Scalar name)) {
                continue;
            }
            List<Statement> statements = new ArrayList<>();
            List<LocatedJson.Scalar> unread = new ArrayList<>();
            if (role.get("RolePolicyList") instanceof LocatedJson.Arr inline) {
                for (LocatedJson policy : inline.items()) {
                    if (policy instanceof LocatedJson.Obj p) {
                        statements.addAll(statements(document(p.get("PolicyDocument"), display), display));
                    }
                }
            }
            if (role.get("AttachedManagedPolicies") instanceof LocatedJson.Arr attached) {
                for (LocatedJson policy : attached.items()) {
                    if (policy instanceof LocatedJson.Obj p && p.get("PolicyArn") instanceof LocatedJson.Scalar arn) {
                        LocatedJson document = managed.get(arn.text());
                        if (document == null) {
                            unread.add(arn);
                        } else {
                            statements.addAll(statements(document(document, display), display));
                        }
                    }
                }
            }
            principals.add(new Principal(name.text(), display, role.line(), statements, unread));
        }
        return principals;
    }

    /** A policy document, as an object or as the URL-encoded JSON string the IAM API returns. */
    private static LocatedJson document(LocatedJson value, String display) {
        if (value instanceof LocatedJson.Scalar encoded && encoded.text() != null) {
            try {
                LocatedJson parsed = LocatedJson.parse(URLDecoder.decode(encoded.text(), StandardCharsets.UTF_8));
                return relocate(parsed, encoded.line());
            } catch (IOException | IllegalArgumentException e) {
                throw new WardenException(display + ":" + encoded.line() + ": a policy document that is not JSON");
            }
        }
        return value;
    }

    /** An encoded document's values all sit on the line of the string that held it. */
    private static LocatedJson relocate(LocatedJson value, int line) {
        return switch (value) {
            case LocatedJson.Obj object -> {
                Map<String, LocatedJson> fields = new java.util.LinkedHashMap<>();
                object.fields().forEach((k, v) -> fields.put(k, relocate(v, line)));
                yield new LocatedJson.Obj(fields, line);
            }
            case LocatedJson.Arr array -> new LocatedJson.Arr(array.items().stream().map(v -> relocate(v, line))
                    .toList(), line);
            case LocatedJson.Scalar scalar -> new LocatedJson.Scalar(scalar.text(), line);
        };
    }

    private static List<Statement> statements(LocatedJson document, String display) {
        List<Statement> statements = new ArrayList<>();
        if (!(document instanceof LocatedJson.Obj object)) {
            return statements;
        }
        LocatedJson body = object.get("Statement");
        List<LocatedJson> items = body instanceof LocatedJson.Arr array ? array.items()
                : body == null ? List.of() : List.of(body);
        for (LocatedJson item : items) {
            if (!(item instanceof LocatedJson.Obj statement)) {
                continue;
            }
            boolean allow = !(statement.get("Effect") instanceof LocatedJson.Scalar effect)
                    || !"Deny".equalsIgnoreCase(effect.text());
            boolean notResource = statement.get("NotResource") != null;
            statements.add(new Statement(display, statement.line(), allow, LocatedJson.strings(statement.get("Action")),
                    LocatedJson.strings(statement.get("NotAction")), LocatedJson.strings(notResource
                    ? statement.get("NotResource") : statement.get("Resource")), notResource,
                    statement.get("Condition") != null));
        }
        return statements;
    }
}
