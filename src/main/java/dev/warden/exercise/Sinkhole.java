package dev.warden.exercise;

import dev.warden.expose.DnsQuery;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A DNS sinkhole for the drill's unprotected control build: listens on 127.0.0.1:53 inside the control build's own
 * network namespace, writes every question it receives to a log, and answers NXDOMAIN so the asker moves on at once.
 * What reaches it is what a payload would have sent to the internet. Run as its own process:
 * {@code Sinkhole LOG READY_FILE}.
 */
public final class Sinkhole {

    private Sinkhole() {
    }

    public static void main(String[] args) throws IOException {
        Path log = Path.of(args[0]);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53))) {
            Files.writeString(Path.of(args[1]), "listening\n");
            byte[] buffer = new byte[4096];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                byte[] query = new byte[packet.getLength()];
                System.arraycopy(buffer, 0, query, 0, query.length);
                Optional<DnsQuery> question = DnsQuery.parse(query);
                if (question.isPresent()) {
                    Files.writeString(log, question.get().name() + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
                    byte[] answer = query.clone();
                    answer[2] = (byte) (answer[2] | 0x80); // a response
                    answer[3] = (byte) ((answer[3] & 0xF0) | 3); // NXDOMAIN
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            }
        }
    }
}
