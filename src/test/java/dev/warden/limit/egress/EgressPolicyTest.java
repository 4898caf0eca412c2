package dev.warden.limit.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.project.ProjectLoader;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fetch stage's baseline, read from a real trace, turned into the policies platforms enforce — each checked the
 * way the platform would: Kubernetes and Cilium resources against their published schemas, the nftables ruleset by
 * {@code nft -c}, the Harden-Runner step as the YAML a workflow holds.
 */
class EgressPolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Project project() {
        write(dir, "p/Cargo.toml", "[package]\nname = \"p\"\nversion = \"0.1.0\"\n");
        write(dir, "p/Cargo.lock", """
                version = 3

                [[package]]
                name = "p"
                version = "0.1.0"
                dependencies = ["serde", "private-utils"]

                [[package]]
                name = "private-utils"
                version = "0.3.0"
                source = "git+https://git.example.com/acme/private-utils?rev=1111111111111111111111111111111111111111#1111111111111111111111111111111111111111"

                [[package]]
                name = "serde"
                version = "1.0.210"
                source = "sparse+https://index.crates.io/"
                checksum = "c8e3592472072e6e22e0a54d5904d9febf8508f65fb8552499a1abc7d1078c3a"
                """);
        return new ProjectLoader(TestEnv.in(dir)).load(dir.resolve("p").toString());
    }

    private static FetchTrace recorded() throws IOException {
        return FetchTrace.read(Path.of("src/test/resources/egress/fetch.trace"));
    }

    private EgressPolicy policy() throws IOException {
        FetchTrace trace = recorded();
        return EgressPolicy.of(project(), new EgressPolicy.Observed(trace.names(), trace.endpoints(),
                trace.resolvers(), 1));
    }

    private static String render(PolicyFiles.Target target, EgressPolicy policy) {
        StringWriter text = new StringWriter();
        PolicyFiles.write(target, policy, "p", new PrintWriter(text));
        return text.toString();
    }

    @Test
    void aRealTraceGivesTheNamesLookedUpAndTheAddressesConnectedTo() throws IOException {
        FetchTrace trace = recorded();
        assertThat(trace.names()).containsExactly("index.crates.io"); // A and AAAA, one sendmmsg
        assertThat(trace.endpoints()).extracting(Destination::key)
                .containsExactlyInAnyOrder("151.101.128.137:443", "[2a04:4e42::649]:443", "127.0.0.1:8080");
        assertThat(trace.resolvers()).extracting(Destination::key).containsExactly("10.255.255.53:53");
    }

    @Test
    void theFetchStageMayReachTheRegistriesAndGitHostsOnly() throws IOException {
        EgressPolicy policy = policy();
        assertThat(policy.names().keySet()).extracting(Destination::key).containsExactlyInAnyOrder(
                "index.crates.io:443", "static.crates.io:443", "git.example.com:443");
        assertThat(policy.names().get(new Destination("git.example.com", 443, false)))
                .isEqualTo("git dependency private-utils (Cargo.lock)");
        assertThat(policy.addresses()).extracting(Destination::key)
                .containsExactly("151.101.128.137:443", "[2a04:4e42::649]:443"); // loopback is never egress
    }

    @Test
    void kubernetesNetworkPoliciesMatchTheSchemaAndTheBuildStageGetsNothing() throws IOException {
        String yaml = render(PolicyFiles.Target.KUBERNETES, policy());
        JsonSchema schema = schema("networkpolicy-networking-v1.json", SpecVersion.VersionFlag.V4);
        List<JsonNode> documents = documents(yaml);
        assertThat(documents).hasSize(2);
        for (JsonNode document : documents) {
            assertThat(errors(schema, document)).as(yaml).isEmpty();
        }
        JsonNode fetch = documents.get(0);
        assertThat(fetch.at("/spec/podSelector/matchLabels/warden.dev~1stage").asText()).isEqualTo("fetch");
        assertThat(fetch.at("/spec/egress/1/to").findValuesAsText("cidr"))
                .containsExactly("151.101.128.137/32", "2a04:4e42::649/128");
        JsonNode build = documents.get(1);
        assertThat(build.at("/spec/policyTypes/0").asText()).isEqualTo("Egress");
        assertThat(build.at("/spec/egress").isMissingNode()).as("no egress rule: nothing allowed").isTrue();
        // The check itself works: a policy without its pod selector is refused.
        ((com.fasterxml.jackson.databind.node.ObjectNode) build.get("spec")).remove("podSelector");
        assertThat(errors(schema, build)).isNotEmpty();
    }

    @Test
    void ciliumPoliciesAllowTheNamesThroughTheDnsProxyAndMatchTheCrdSchema() throws IOException {
        String yaml = render(PolicyFiles.Target.CILIUM, policy());
        JsonSchema schema = schema("ciliumnetworkpolicy_v2.json", SpecVersion.VersionFlag.V7);
        List<JsonNode> documents = documents(yaml);
        for (JsonNode document : documents) {
            assertThat(errors(schema, document)).as(yaml).isEmpty();
        }
        JsonNode fetch = documents.get(0);
        assertThat(fetch.at("/spec/egress/1/toFQDNs").findValuesAsText("matchName"))
                .containsExactly("git.example.com", "index.crates.io", "static.crates.io");
        assertThat(fetch.at("/spec/egress/0/toPorts/0/rules/dns").findValuesAsText("matchName"))
                .containsExactly("git.example.com", "index.crates.io", "static.crates.io");
        assertThat(documents.get(1).at("/spec/egressDeny/0/toEntities/0").asText()).isEqualTo("all");
        ((com.fasterxml.jackson.databind.node.ObjectNode) fetch.get("spec")).put("endpointSelector", "fetch");
        assertThat(errors(schema, fetch)).isNotEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theHardenRunnerStepBlocksAllButTheAllowedEndpoints() throws IOException {
        String yaml = render(PolicyFiles.Target.HARDEN_RUNNER, policy());
        List<Object> steps = (List<Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
        Map<String, Object> step = (Map<String, Object>) steps.getFirst();
        assertThat(step.get("uses")).isEqualTo("step-security/harden-runner@v2");
        Map<String, Object> with = (Map<String, Object>) step.get("with");
        assertThat(with.get("egress-policy")).isEqualTo("block");
        assertThat(((String) with.get("allowed-endpoints")).split("\\s+"))
                .containsExactly("git.example.com:443", "index.crates.io:443", "static.crates.io:443");
    }

    @Test
    void theNftablesRulesetPassesNftCheck() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "nftables not installed");
        String ruleset = render(PolicyFiles.Target.NFTABLES, policy());
        assertThat(ruleset).contains("151.101.128.137 . 443", "2a04:4e42::649 . 443", "10.255.255.53");
        assertThat(nftCheck(ruleset)).as(ruleset).isZero();
        assertThat(nftCheck(ruleset.replace("policy drop;", "policy dorp;"))).as("the check rejects").isNotZero();
        // With nothing observed yet the sets are empty, and the ruleset still loads (everything but DNS is dropped).
        String empty = render(PolicyFiles.Target.NFTABLES, EgressPolicy.of(project(), EgressPolicy.Observed.none()));
        assertThat(nftCheck(empty)).as(empty).isZero();
    }

    /** {@code nft -c -f}, in a user and network namespace of its own so it needs no privilege and changes nothing. */
    private int nftCheck(String ruleset) throws IOException, InterruptedException {
        Path file = dir.resolve("ruleset.nft");
        Files.writeString(file, ruleset);
        Process process = new ProcessBuilder("unshare", "-rn", "/usr/sbin/nft", "-c", "-f", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        if (status != 0 && output.contains("Operation not permitted")) {
            Assumptions.abort("no user namespaces here for nft -c: " + output.strip());
        }
        return status;
    }

    /**
     * A schema read as the given draft. The Kubernetes schemas name the unversioned meta-schema
     * ({@code http://json-schema.org/schema#}), which validators cannot load; kubeconform reads them as draft 4.
     */
    private static JsonSchema schema(String file, SpecVersion.VersionFlag version) throws IOException {
        JsonNode tree = JSON.readTree(Path.of("src/test/resources/egress/schemas", file).toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove("$schema");
        return JsonSchemaFactory.getInstance(version).getSchema(tree);
    }

    private static Set<ValidationMessage> errors(JsonSchema schema, JsonNode document) {
        return schema.validate(document);
    }

    private static List<JsonNode> documents(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            if (document != null) {
                documents.add(JSON.valueToTree(document));
            }
        }
        return documents;
    }
}
