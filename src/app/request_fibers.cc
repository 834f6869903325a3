#include "app/request_fibers.h"

#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

#include "common/log.h"
#include "common/suspend.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define WORKBIND_ASAN_FIBERS 1
#endif

namespace workbind::app {
namespace ctx = boost::context;
namespace {

// AddressSanitizer must be told of every stack switch (Boost.Context's
// assembly switch does not), else it misreads the fiber stacks. Each side
// announces the stack it is about to run on, and the side that lands
// confirms. No-ops in other builds.
struct StackBounds {
  const void* bottom = nullptr;
  size_t size = 0;
};

inline void AnnounceSwitch(void** fake_stack_save, StackBounds to) {
#ifdef WORKBIND_ASAN_FIBERS
  __sanitizer_start_switch_fiber(fake_stack_save, to.bottom, to.size);
#else
  (void)fake_stack_save;
  (void)to;
#endif
}

// Returns the bounds of the stack switched from.
inline StackBounds LandSwitch(void* fake_stack_save) {
  StackBounds from;
#ifdef WORKBIND_ASAN_FIBERS
  __sanitizer_finish_switch_fiber(fake_stack_save, &from.bottom, &from.size);
#else
  (void)fake_stack_save;
#endif
  return from;
}

// Most stacks kept for reuse; beyond it a finished fiber's stack is unmapped.
constexpr size_t kKeptStacks = 512;

// A pool of guard-paged stacks of one size. Thread-safe.
class StackPool {
 public:
  explicit StackPool(size_t bytes) : allocator_(bytes) {}
  ~StackPool() {
    for (auto& sc : free_) allocator_.deallocate(sc);
  }

  ctx::stack_context Take() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        ctx::stack_context sc = free_.back();
        free_.pop_back();
        return sc;
      }
    }
    return allocator_.allocate();
  }

  void Give(ctx::stack_context sc) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (free_.size() < kKeptStacks) {
        free_.push_back(sc);
        return;
      }
    }
    allocator_.deallocate(sc);
  }

 private:
  ctx::protected_fixedsize_stack allocator_;
  std::mutex mu_;
  std::vector<ctx::stack_context> free_;
};

// The StackAllocator Boost.Context asks for: a handle on the pool, which
// notes the bounds of the stack it hands out.
struct PooledStack {
  StackPool* pool;
  StackBounds* bounds;
  ctx::stack_context allocate() {
    ctx::stack_context sc = pool->Take();
    bounds->size = sc.size;
    bounds->bottom = static_cast<char*>(sc.sp) - sc.size;
    return sc;
  }
  void deallocate(ctx::stack_context& sc) { pool->Give(sc); }
};

}  // namespace

struct RequestFibers::Impl {
  // One request's fiber. Owned by itself: deleted by Enter when it ends.
  class Fiber final : public Suspender {
   public:
    Fiber(Impl* owner, std::function<void()> fn)
        : owner_(owner), fn_(std::move(fn)) {
      self_ =
          ctx::fiber(std::allocator_arg, PooledStack{&owner->stacks, &stack_},
                     [this](ctx::fiber&& caller) {
                       caller_ = std::move(caller);
                       thread_stack_ = LandSwitch(nullptr);
                       try {
                         fn_();
                       } catch (const std::exception& e) {
                         log::Error("request fiber: {}", e.what());
                       } catch (...) {
                         log::Error("request fiber: unknown exception");
                       }
                       fn_ = nullptr;
                       finished_ = true;
                       // Null: this fiber's stack is done with.
                       AnnounceSwitch(nullptr, thread_stack_);
                       return std::move(caller_);
                     });
    }

    void Suspend(const std::function<void(Resume)>& start) override {
      pending_ = &start;
      void* fake_stack = nullptr;
      AnnounceSwitch(&fake_stack, thread_stack_);
      caller_ = std::move(caller_).resume();
      // Maybe on another thread now: its stack is the one to return to.
      thread_stack_ = LandSwitch(fake_stack);
    }

    // Runs the fiber on this thread until it suspends or ends; then hands
    // the pending wait its resume callback, or deletes the finished fiber.
    static void Enter(Fiber* f) {
      Suspender* previous = Exchange(f);
      // The fiber's logging context (its request id) runs with it, on
      // whichever thread: put in on entry, taken back out on each switch.
      const log::Context outer = log::ExchangeContext(f->log_context_);
      void* fake_stack = nullptr;
      AnnounceSwitch(&fake_stack, f->stack_);
      f->self_ = std::move(f->self_).resume();
      LandSwitch(fake_stack);
      f->log_context_ = log::ExchangeContext(outer);
      Exchange(previous);
      Impl* owner = f->owner_;
      if (f->finished_) {
        delete f;
        owner->Finished();
        return;
      }
      // A copy: the original lives on the fiber's stack, which the fiber
      // may reuse as soon as it runs again (maybe before `start` returns).
      std::function<void(Resume)> start = *std::exchange(f->pending_, nullptr);
      start([owner, f] { owner->resume_on->Post([f] { Enter(f); }); });
    }

   private:
    Impl* const owner_;
    std::function<void()> fn_;
    ctx::fiber self_;
    ctx::fiber caller_;
    const std::function<void(Resume)>* pending_ = nullptr;
    bool finished_ = false;
    log::Context log_context_;  // while switched out
    StackBounds stack_;         // this fiber's stack
    StackBounds thread_stack_;  // the stack of the thread running it
  };

  Impl(Executor* e, size_t stack_bytes) : resume_on(e), stacks(stack_bytes) {}

  void Finished() {
    std::lock_guard<std::mutex> lock(mu);
    if (--alive == 0) idle_cv.notify_all();
  }

  Executor* const resume_on;
  StackPool stacks;
  mutable std::mutex mu;
  std::condition_variable idle_cv;
  size_t alive = 0;
};

RequestFibers::RequestFibers(Executor* resume_on, size_t stack_bytes)
    : impl_(std::make_unique<Impl>(resume_on, stack_bytes)) {}

RequestFibers::~RequestFibers() {
  if (!WaitIdle(std::chrono::seconds(10)))
    log::Error("{} request fiber(s) still waiting at shutdown", live());
}

void RequestFibers::Run(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    ++impl_->alive;
  }
  Impl::Fiber::Enter(new Impl::Fiber(impl_.get(), std::move(fn)));
}

bool RequestFibers::WaitIdle(std::chrono::milliseconds limit) {
  std::unique_lock<std::mutex> lock(impl_->mu);
  return impl_->idle_cv.wait_for(lock, limit,
                                 [this] { return impl_->alive == 0; });
}

size_t RequestFibers::live() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->alive;
}

}  // namespace workbind::app
