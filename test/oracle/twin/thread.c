/* A second thread: its stack (and guard page) from glibc, written a little, waiting. */
#include <pthread.h>
#include <string.h>
#include "ready.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t started = PTHREAD_COND_INITIALIZER;
static int running;

static void *worker(void *arg)
{
    volatile char buffer[3 * PAGE];
    memset((char *)buffer, 1, sizeof buffer);
    pthread_mutex_lock(&lock);
    running = 1;
    pthread_cond_signal(&started);
    pthread_mutex_unlock(&lock);
    for (;;) pause();
    return arg;
}

int main(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, worker, NULL)) return 2;
    pthread_mutex_lock(&lock);
    while (!running) pthread_cond_wait(&started, &lock);
    pthread_mutex_unlock(&lock);
    ready(NULL);
}
