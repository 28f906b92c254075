// DPMS through libdrm (see display_power.h).
#include "platform/display_power.h"

#include "ksd/log.h"

#include <SDL.h>
#include <SDL_syswm.h>
#include <cerrno>
#include <cstring>
#include <memory>
#include <xf86drm.h>
#include <xf86drmMode.h>

namespace kiosk::sdl {

namespace {

struct ResourcesFree {
    void operator()(drmModeRes* p) const { drmModeFreeResources(p); }
};
struct ConnectorFree {
    void operator()(drmModeConnector* p) const { drmModeFreeConnector(p); }
};
struct PropertiesFree {
    void operator()(drmModeObjectProperties* p) const { drmModeFreeObjectProperties(p); }
};
struct PropertyFree {
    void operator()(drmModePropertyRes* p) const { drmModeFreeProperty(p); }
};

// The connector's "DPMS" property id, 0 when it has none.
uint32_t dpms_property(int fd, uint32_t connector) {
    std::unique_ptr<drmModeObjectProperties, PropertiesFree> props(
        drmModeObjectGetProperties(fd, connector, DRM_MODE_OBJECT_CONNECTOR));
    if (!props)
        return 0;
    for (uint32_t i = 0; i < props->count_props; ++i) {
        std::unique_ptr<drmModePropertyRes, PropertyFree> p(
            drmModeGetProperty(fd, props->props[i]));
        if (p && std::strcmp(p->name, "DPMS") == 0)
            return p->prop_id;
    }
    return 0;
}

} // namespace

DisplayPower DisplayPower::for_window(SDL_Window* window) {
    char const* driver = SDL_GetCurrentVideoDriver();
    std::string name = driver ? driver : "none";
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (window && SDL_GetWindowWMInfo(window, &info) == SDL_TRUE
        && info.subsystem == SDL_SYSWM_KMSDRM)
        return DisplayPower(info.info.kmsdrm.drm_fd, name);
    // dummy, offscreen, x11, wayland: no panel of ours (see the header).
    return DisplayPower(-1, name);
}

DisplayPower::DisplayPower(int drm_fd, std::string driver)
    : m_drm_fd(drm_fd)
    , m_driver(std::move(driver)) {
}

std::string DisplayPower::describe() const {
    if (m_drm_fd >= 0)
        return "DPMS on the DRM connectors";
    return "nothing to switch (video driver " + m_driver + ")";
}

ksd::Result<void> DisplayPower::set(ScreenPower power) {
    if (m_drm_fd < 0) {
        if (!m_said_noop)
            ksd::log::info("kiosk",
                "screen power: the " + m_driver
                    + " video driver has no panel to switch off; asleep, the kiosk only stops "
                      "drawing");
        m_said_noop = true;
        return {};
    }
    return set_dpms(power);
}

ksd::Result<void> DisplayPower::set_dpms(ScreenPower power) {
    uint64_t value = DRM_MODE_DPMS_ON;
    switch (power) {
    case ScreenPower::Awake:
        value = DRM_MODE_DPMS_ON;
        break;
    case ScreenPower::Asleep:
        value = DRM_MODE_DPMS_OFF;
        break;
    }
    std::unique_ptr<drmModeRes, ResourcesFree> res(drmModeGetResources(m_drm_fd));
    if (!res)
        return ksd::Error {
            std::string("DPMS: cannot read the DRM resources: ") + std::strerror(errno)};
    int done = 0;
    std::string failed;
    for (int i = 0; i < res->count_connectors; ++i) {
        // ...Current: no probing of the outputs (that can take a second on HDMI).
        std::unique_ptr<drmModeConnector, ConnectorFree> c(
            drmModeGetConnectorCurrent(m_drm_fd, res->connectors[i]));
        if (!c || c->connection != DRM_MODE_CONNECTED || c->encoder_id == 0)
            continue; // not the panel SDL drives
        uint32_t prop = dpms_property(m_drm_fd, c->connector_id);
        if (prop == 0)
            continue;
        // Needs the DRM master, which the kiosk holds while it owns the VT.
        if (drmModeConnectorSetProperty(m_drm_fd, c->connector_id, prop, value) != 0)
            failed += (failed.empty() ? "" : ", ") + std::string("connector ")
                + std::to_string(c->connector_id) + ": " + std::strerror(errno);
        else
            ++done;
    }
    if (!failed.empty())
        return ksd::Error {"DPMS: " + failed};
    if (done == 0)
        return ksd::Error {"DPMS: no connected connector with a DPMS property"};
    return {};
}

} // namespace kiosk::sdl
