/* After fork(), parent and child have their own copies of every global, static and .bss
   object: what the child writes is not seen by the parent. */
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int counter = 1;
static int hidden = 5;
int zeroed[4];
const char *message = "parent";

int main(void) {
    counter = 2;
    zeroed[1] = 7;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        /* The child starts from the parent's values... */
        int ok = counter == 2 && hidden == 5 && zeroed[1] == 7;
        /* ...and its writes stay its own. */
        counter = 42;
        hidden = 43;
        zeroed[2] = 44;
        message = "child";
        printf("child: %d %d %d %s\n", counter, hidden, zeroed[2], message);
        fflush(stdout);
        _exit(ok ? 3 : 4);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf("parent: %d %d %d %d %s, child exit %d\n", counter, hidden, zeroed[1], zeroed[2],
           message, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
