/* Runs inside a RUN sandbox (static, so any root will do) and reports what the step can reach:
 * `probe syscalls` tries each system call the sandbox must refuse and prints NAME=RESULT, where
 * RESULT is "ok" or the errno's name; `probe fds` prints the descriptors open besides 0, 1 and 2;
 * `probe device PATH MAJOR MINOR` makes a character device there and tries to open it;
 * `probe caps` prints the capability sets. The tests judge the output. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *result(long rc) {
    if (rc >= 0) return "ok";
    switch (errno) {
        case EPERM: return "EPERM";
        case EACCES: return "EACCES";
        case ENOSYS: return "ENOSYS";
        case EINVAL: return "EINVAL";
        case ENOENT: return "ENOENT";
        case EBADF: return "EBADF";
        case EFAULT: return "EFAULT";
        case EROFS: return "EROFS";
        case ENODEV: return "ENODEV";
        case EOPNOTSUPP: return "EOPNOTSUPP";
        case ENOTDIR: return "ENOTDIR";
        case EBUSY: return "EBUSY";
        case ESRCH: return "ESRCH";
        default: return strerror(errno);
    }
}

static void report(const char *name, long rc) { printf("%s=%s\n", name, result(rc)); }

static int child_fn(void *arg) { (void)arg; _exit(0); }

static void syscalls(void) {
    mkdir("/probe-mnt", 0755);
    report("mount", mount("none", "/probe-mnt", "tmpfs", 0, NULL));
    report("umount2", umount2("/proc", MNT_DETACH));
    struct { unsigned int bytes; int type; unsigned char h[128]; } handle = {128, 0, {0}};
    int mount_id;
    report("name_to_handle_at", syscall(SYS_name_to_handle_at, AT_FDCWD, "/", &handle, &mount_id, 0));
    report("open_by_handle_at", syscall(SYS_open_by_handle_at, AT_FDCWD, &handle, O_RDONLY));
    report("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0));
    report("add_key", syscall(SYS_add_key, "user", "probe", "x", 1, -3));
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    report("bpf", syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr));
    struct perf_event_attr pe;
    memset(&pe, 0, sizeof pe);
    pe.size = sizeof pe;
    pe.type = PERF_TYPE_SOFTWARE;
    pe.config = PERF_COUNT_SW_CPU_CLOCK;
    report("perf_event_open", syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0));
    report("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
    report("init_module", syscall(SYS_init_module, NULL, 0, ""));
    report("pivot_root", syscall(SYS_pivot_root, "/", "/"));
    report("unshare_user", unshare(CLONE_NEWUSER));
    report("unshare_mount", unshare(CLONE_NEWNS));
    static char stack[65536];
    long pid = clone(child_fn, stack + sizeof stack, CLONE_NEWUSER | SIGCHLD, NULL);
    if (pid > 0) waitpid(pid, NULL, 0);
    report("clone_newuser", pid);
    report("clone3", syscall(SYS_clone3, NULL, 0));
    report("reboot", syscall(SYS_reboot, 0, 0, 0, NULL)); /* bad magic: EINVAL if let through */
    report("swapon", swapon("/nonexistent", 0));
    report("setns", setns(-1, 0));
    report("userfaultfd", syscall(SYS_userfaultfd, 0));
    report("io_uring_setup", syscall(SYS_io_uring_setup, 1, NULL));
    report("personality_addr_no_randomize", personality(ADDR_NO_RANDOMIZE));
    report("personality_query", personality(0xffffffff));
    report("settimeofday", syscall(SYS_settimeofday, NULL, NULL));
    report("fsopen", syscall(SYS_fsopen, "tmpfs", 0));
    report("open_tree", syscall(SYS_open_tree, AT_FDCWD, "/", 0));
    /* Allowed as in Docker: ordinary clone (fork), chroot with CAP_SYS_CHROOT. */
    pid = fork();
    if (pid == 0) _exit(0);
    if (pid > 0) waitpid(pid, NULL, 0);
    report("fork", pid);
}

static void fds(void) {
    DIR *dir = opendir("/proc/self/fd");
    if (!dir) { printf("cannot open /proc/self/fd: %s\n", strerror(errno)); return; }
    int own = dirfd(dir), found = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        if (e->d_name[0] == '.') continue;
        int fd = atoi(e->d_name);
        if (fd <= 2 || fd == own) continue;
        char target[512] = "";
        char link[64];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n > 0) target[n] = 0;
        printf("open fd %d -> %s\n", fd, target);
        found = 1;
    }
    closedir(dir);
    if (!found) printf("no other fds\n");
}

static void device(const char *path, unsigned major, unsigned minor) {
    unlink(path);
    report("mknod", mknod(path, S_IFCHR | 0666, makedev(major, minor)));
    report("open_device", open(path, O_RDWR));
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    /* These probes unmount /proc and mount things when they are let through: never on a host. */
    char host[64] = "";
    gethostname(host, sizeof host);
    if (strcmp(host, "envbuilder") != 0) {
        fprintf(stderr, "probe: runs only inside the envbuilder sandbox (hostname envbuilder)\n");
        return 3;
    }
    if (argc >= 2 && strcmp(argv[1], "syscalls") == 0) syscalls();
    else if (argc >= 2 && strcmp(argv[1], "fds") == 0) fds();
    else if (argc >= 5 && strcmp(argv[1], "device") == 0)
        device(argv[2], (unsigned)atoi(argv[3]), (unsigned)atoi(argv[4]));
    else if (argc >= 3 && strcmp(argv[1], "open") == 0)
        report("open", open(argv[2], O_RDWR));
    else { fprintf(stderr, "usage: probe syscalls|fds|device PATH MAJOR MINOR|open PATH\n"); return 2; }
    return 0;
}
