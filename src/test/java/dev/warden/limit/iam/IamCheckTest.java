package dev.warden.limit.iam;

import dev.warden.core.Finding;
import dev.warden.core.WardenException;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Counting the build role's permissions on policies shaped like real CI roles. The expected counts are taken from
 * the bundled list by plain string tests, not through the catalogue's glob matching, so the two check each other.
 */
class IamCheckTest {

    private static final Path DIR = Path.of("src/test/resources/ci-audit-iam");
    private static final ActionCatalog CATALOG = ActionCatalog.bundled();

    /** How many bundled actions satisfy {@code test(service, name)}, read straight from the resource. */
    private static int countWhere(BiPredicate<String, String> test) throws IOException {
        int count = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                ActionCatalog.class.getResourceAsStream("aws-actions.tsv.gz")), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t");
                for (String entry : parts[1].split(",")) {
                    if (test.test(parts[0], entry.substring(0, entry.lastIndexOf(':')))) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    private static IamCheck.Count only(String file) {
        List<IamCheck.Count> counts = IamCheck.count(IamPolicies.read(DIR.resolve(file), file), CATALOG);
        assertThat(counts).hasSize(1);
        return counts.getFirst();
    }

    private static List<String> located(IamCheck.Count count) {
        return count.findings().stream().map(f -> f.id() + "@" + f.evidence().getFirst().line()).toList();
    }

    @Test
    void wildcardsExpandToTheActionsTheyGrantAndUnconditionalDeniesSubtract() throws IOException {
        IamCheck.Count count = only("build-role.json");
        int s3Get = countWhere((service, name) -> service.equals("s3") && name.toLowerCase(Locale.ROOT)
                .startsWith("get"));
        int ecr = countWhere((service, name) -> service.equals("ecr"));
        int ecrDelete = countWhere((service, name) -> service.equals("ecr") && name.startsWith("Delete"));
        assertThat(s3Get).isGreaterThan(50);
        // s3:Get*, S3:listbucket (any case), ecr:* without ecr:Delete*, three deploy actions, one unknown name
        assertThat(count.actions()).isEqualTo(s3Get + 1 + ecr - ecrDelete + 3 + 1);
        assertThat(count.unknown()).containsExactly("acme:doesnotexist");
        assertThat(count.byService()).containsEntry("ecr", ecr - ecrDelete).containsKey("s3");
        assertThat(located(count)).containsExactlyInAnyOrder("ci-iam-service-wildcard@13",
                "ci-iam-write-any-resource@14", "ci-iam-write-any-resource@20");
        Finding deploy = count.findings().stream().filter(f -> f.evidence().getFirst().line() == 20).findFirst()
                .orElseThrow();
        assertThat(deploy.message()).contains("3 write actions", "iam:PassRole");
    }

    @Test
    void aLeastPrivilegePolicyIsCountedExactlyAndPasses() {
        IamCheck.Count count = only("least-privilege.json");
        assertThat(count.actions()).isEqualTo(7);
        assertThat(count.findings()).isEmpty();
    }

    @Test
    void anExportIsReadPerRoleWithDefaultVersionsEncodedDocumentsAndMissingPolicies() throws IOException {
        List<IamCheck.Count> counts = IamCheck.count(IamPolicies.read(DIR.resolve("authorization-details.json"),
                "authorization-details.json"), CATALOG);
        assertThat(counts).extracting(c -> c.principal().name())
                .containsExactly("github-actions-build", "github-actions-deploy");
        IamCheck.Count build = counts.get(0);
        int all = countWhere((service, name) -> true);
        int excluded = countWhere((service, name) -> service.equals("iam") || service.equals("organizations"));
        assertThat(build.actions()).isEqualTo(all - excluded); // s3:PutObject is inside the NotAction grant
        assertThat(located(build)).containsExactlyInAnyOrder("ci-iam-full-access@27", "ci-iam-policy-unread@37");
        IamCheck.Count deploy = counts.get(1);
        assertThat(deploy.actions()).as("the default version v2, not v1's s3:*").isEqualTo(1);
        assertThat(deploy.findings()).isEmpty();
    }

    @Test
    void badFilesAreOneLineErrors() {
        assertThatThrownBy(() -> IamPolicies.read(DIR.resolve("missing.json"), "missing.json"))
                .isInstanceOf(WardenException.class).hasMessageStartingWith("missing.json: cannot read");
        assertThatThrownBy(() -> IamPolicies.read(Path.of("pom.xml"), "pom.xml"))
                .isInstanceOf(WardenException.class).hasMessageStartingWith("pom.xml: not valid JSON");
    }
}
