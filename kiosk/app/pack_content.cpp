// Opening and watching the content pack. A bad pack is logged and ignored, never fatal.
#include "app/pack_content.h"

#include "ksd/log.h"

#include <sys/stat.h>

namespace kiosk {

ksd::Result<std::unique_ptr<Content>> open_pack(
    std::string const& path, std::string const& key_path, Verify verify) {
    if (verify == Verify::None) {
        TRY_RESULT(auto pack, ksd::ContentPack::open_unverified(path));
        return std::unique_ptr<Content>(std::make_unique<PackContent>(std::move(pack)));
    }
    TRY_RESULT(auto key, ksd::minisign::load_public_key(key_path));
    TRY_RESULT(auto pack, ksd::ContentPack::open(path, key));
    return std::unique_ptr<Content>(std::make_unique<PackContent>(std::move(pack)));
}

std::function<std::unique_ptr<Content>(Content const*)> pack_watcher(
    std::string const& path, std::string const& key_path, Verify verify) {
    struct Seen {
        bool valid {false};
        dev_t dev {};
        ino_t ino {};
        off_t size {};
        timespec mtime {};
    };
    auto seen = std::make_shared<Seen>();
    return [=](Content const* current) -> std::unique_ptr<Content> {
        struct stat st { };
        if (::stat(path.c_str(), &st) != 0)
            return nullptr;
        if (seen->valid && st.st_dev == seen->dev && st.st_ino == seen->ino
            && st.st_size == seen->size && st.st_mtim.tv_sec == seen->mtime.tv_sec
            && st.st_mtim.tv_nsec == seen->mtime.tv_nsec)
            return nullptr;
        *seen = {true, st.st_dev, st.st_ino, st.st_size, st.st_mtim};
        auto opened = open_pack(path, key_path, verify);
        if (!opened.ok()) {
            ksd::log::warn("kiosk", "content pack not taken: " + opened.error().message);
            return nullptr;
        }
        auto& fresh = opened.value();
        if (current && fresh->meta().content_version <= current->meta().content_version)
            return nullptr;
        return std::move(fresh);
    };
}

} // namespace kiosk
