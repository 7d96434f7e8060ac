// Clang's thread-safety analysis attributes (-Wthread-safety), as Abseil and LevelDB
// spell them: GUARDED_BY(mu_) on a member says what protects it, REQUIRES(mu_) on a
// function says its caller holds the lock, EXCLUDES(mu_) that it must not. Under clang
// every library the server links is compiled with -Wthread-safety -Werror=thread-safety
// (the fuzz build in CI, CMakeLists.txt), so a read of a guarded member without its lock
// fails the build there; other compilers see empty macros.
#pragma once

#if defined(__clang__)
#define BOTIFY_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define BOTIFY_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) BOTIFY_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY BOTIFY_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) BOTIFY_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) BOTIFY_THREAD_ANNOTATION(pt_guarded_by(x))
#define ACQUIRED_AFTER(...) BOTIFY_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
#define ACQUIRED_BEFORE(...) BOTIFY_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define REQUIRES(...) BOTIFY_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) BOTIFY_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) BOTIFY_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) BOTIFY_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RETURN_CAPABILITY(x) BOTIFY_THREAD_ANNOTATION(lock_returned(x))
#define NO_THREAD_SAFETY_ANALYSIS BOTIFY_THREAD_ANNOTATION(no_thread_safety_analysis)
