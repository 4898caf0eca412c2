package dev.warden.expose;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StraceParserTest {

    private static List<StraceParser.Record> parse(List<String> lines) {
        StraceParser parser = new StraceParser();
        List<StraceParser.Record> records = new ArrayList<>();
        for (String line : lines) {
            parser.parse(line).ifPresent(records::add);
        }
        return records;
    }

    private static List<String> sample() throws IOException {
        return Files.readAllLines(Path.of("src/test/resources/expose/strace-sample.txt"));
    }

    private static Syscall call(StraceParser.Record record) {
        return ((StraceParser.Call) record).syscall();
    }

    @Test
    void realStraceOutputBecomesCompleteCalls() throws IOException {
        List<StraceParser.Record> records = parse(sample());
        // 12 lines: the interrupted execve and vfork each come out once, complete; the vfork also announces itself.
        assertThat(records).hasSize(11);

        Syscall exec = call(records.get(0));
        assertThat(exec.name()).isEqualTo("execve");
        assertThat(exec.pid()).isEqualTo(7);
        assertThat(exec.micros()).isEqualTo(1795577139639187L);
        assertThat(exec.result()).isZero();
        assertThat(exec.strings()).extracting(b -> new String(b, StandardCharsets.UTF_8))
                .containsExactly("/usr/bin/getent", "getent", "hosts", "abcd.malicious-domain.com");

        Syscall unix = call(records.get(1));
        assertThat(unix.address()).hasToString("unix:/var/run/nscd/socket");
        assertThat(unix.errno()).isEqualTo("ENOENT");
        assertThat(unix.failed()).isTrue();

        Syscall query = call(records.get(2));
        assertThat(DnsQuery.parse(query.strings().getFirst())).get().satisfies(q -> {
            assertThat(q.name()).isEqualTo("abcd.malicious-domain.com");
            assertThat(q.typeName()).isEqualTo("AAAA");
            assertThat(q.domain()).isEqualTo("malicious-domain.com");
            assertThat(q.subdomain()).containsExactly("abcd");
        });
        assertThat(DnsQuery.parse(call(records.get(3)).strings().getFirst())).get()
                .extracting(DnsQuery::typeName).isEqualTo("A");

        Syscall blocked = call(records.get(4));
        assertThat(blocked.address()).hasToString("10.1.2.3:80");
        assertThat(blocked.errno()).isEqualTo("ENETUNREACH");
        assertThat(call(records.get(5)).address()).satisfies(a -> {
            assertThat(a).hasToString("[::1]:80");
            assertThat(a.loopback()).isTrue();
        });

        assertThat(records.get(6)).isEqualTo(new StraceParser.Spawning(16083));
        Syscall vfork = call(records.get(7));
        assertThat(vfork.name()).isEqualTo("vfork");
        assertThat(vfork.result()).as("the pid as the tracer sees it").isEqualTo(16084L);
        assertThat(call(records.get(8)).result()).isEqualTo(16083L);
        assertThat(records.get(9)).isEqualTo(new StraceParser.Exit(16084, 1795577784316173L, 0, null));
        assertThat(records.get(10)).isEqualTo(new StraceParser.Exit(16086, 1795577784330000L, null, "SIGKILL"));
    }

    /**
     * In the sandbox's PID namespace strace names a child twice ("= 5", then "8600 in strace's PID NS" in a
     * comment); when the child is already gone it cannot translate, and the bare number is a pid no other line uses
     * (it showed as a rustc "outliving" the build). Such a result is unknown; outside any namespace a bare pid is the
     * real one.
     */
    @Test
    void anUntranslatedChildPidInsideAPidNamespaceIsUnknown() {
        List<StraceParser.Record> records = parse(List.of(
                "8540 1.000001 clone(child_stack=NULL, flags=CLONE_NEWPID|SIGCHLD) = 1 /* 8541 in strace's PID NS */",
                "8541 1.000002 vfork() = 9",
                "8541 1.000003 clone3({flags=CLONE_VM, exit_signal=SIGCHLD}, 88) = 10 /* 8567 in strace's PID NS */"));
        assertThat(call(records.get(0)).result()).isEqualTo(8541L);
        assertThat(call(records.get(1)).result()).isNull();
        assertThat(call(records.get(2)).result()).isEqualTo(8567L);
        assertThat(call(parse(List.of("700 1.000001 vfork() = 701")).getFirst()).result()).isEqualTo(701L);
    }

    @Test
    void linesThatAreNotCallsAreIgnored() {
        assertThat(parse(List.of("", "garbage", "12 1.000001 --- SIGCHLD {si_signo=SIGCHLD} ---",
                "12 1.000002 <... execve resumed>) = 0"))).isEmpty();
    }

    @Test
    void dnsOverTcpAndNonDnsPacketsAreTellable() {
        byte[] query = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p',
            'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};
        byte[] tcp = new byte[query.length + 2];
        tcp[1] = (byte) query.length;
        System.arraycopy(query, 0, tcp, 2, query.length);
        assertThat(DnsQuery.parse(query)).get().extracting(DnsQuery::name).isEqualTo("www.example.com");
        assertThat(DnsQuery.parse(tcp)).get().extracting(DnsQuery::name).isEqualTo("www.example.com");
        assertThat(DnsQuery.parse("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isEmpty();
        byte[] answer = query.clone();
        answer[2] = (byte) 0x81;
        assertThat(DnsQuery.parse(answer)).isEmpty();
        assertThat(DnsQuery.ofName("a.b.example.co.uk").domain()).isEqualTo("example.co.uk");
    }
}
