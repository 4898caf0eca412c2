package dev.warden.fortify.policy;

import dev.warden.core.WardenException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The commented default {@code warden.toml} that {@code warden init} writes: every key, documented, at its default. */
public final class PolicyTemplate {

    private PolicyTemplate() {
    }

    public static String text() {
        try (InputStream in = PolicyTemplate.class.getResourceAsStream(PolicyLoader.FILE_NAME)) {
            if (in == null) {
                throw new IllegalStateException("the policy template is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the policy template", e);
        }
    }

    /** Writes the template to {@code dir/warden.toml}; an existing policy is never overwritten. */
    public static Path writeInto(Path dir) {
        Path file = dir.resolve(PolicyLoader.FILE_NAME);
        try {
            Files.createDirectories(dir);
            Files.writeString(file, text(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return file;
        } catch (FileAlreadyExistsException e) {
            throw new WardenException(file + ": a policy already exists; edit it, or remove it to start again");
        } catch (IOException e) {
            throw new WardenException(file + ": cannot write: " + e.getMessage());
        }
    }
}
