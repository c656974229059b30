#include "windows/job.hpp"

#include "spx.h"

namespace spx::win {

int create_job(unsigned flags, UniqueHandle &out) {
    UniqueHandle job(CreateJobObjectW(nullptr, nullptr));
    if (!job) return last_error();
    if (flags & SPX_JOB_KILL_ON_CLOSE) {
        JOBOBJECT_EXTENDED_LIMIT_INFORMATION info{};
        info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        if (!SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation, &info, sizeof info))
            return last_error();
    }
    out = std::move(job);
    return 0;
}

}  // namespace spx::win
