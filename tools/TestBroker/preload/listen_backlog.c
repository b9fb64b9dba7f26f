/*
 * LD_PRELOAD shim for the test broker: raises the accept-queue length mosquitto asks for.
 *
 * mosquitto 2.0 calls listen(sock, 100) (hard-coded). In a reconnect storm of hundreds of simulated devices
 * the kernel then drops SYNs once 100 connections wait to be accepted, and each dropped client's TCP resends
 * its SYN only after 1, 3, 7 s: the fleet's reconnect times come out bunched by TCP's retransmission timer,
 * not by the devices' back-off. The platform's load balancers do not behave like that, so the test broker
 * asks for the system maximum instead (the kernel caps it at net.core.somaxconn).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <sys/socket.h>

#define TEST_BROKER_BACKLOG 4096

typedef int (*listen_fn)(int, int);

int listen(int sockfd, int backlog)
{
    static listen_fn real_listen;
    if (real_listen == NULL) {
        real_listen = (listen_fn)dlsym(RTLD_NEXT, "listen");
        if (real_listen == NULL) {
            return -1;
        }
    }

    return real_listen(sockfd, backlog < TEST_BROKER_BACKLOG ? TEST_BROKER_BACKLOG : backlog);
}
