# Install rules and CPack DEB packages (issue 12): ksd-kiosk (kiosk + sync agent + their units,
# users and directories, the demo pack), ksd-server (server + unit + nginx example) and
# ksd-content (the tool). One component per package; scripts/package.sh builds them.
include(GNUInstallDirs)

# Relative to the prefix (/usr in the packages): /usr/lib/systemd/system, /usr/lib/sysusers.d, ...
set(KSD_UNIT_DIR lib/systemd/system)
set(KSD_SYSUSERS_DIR lib/sysusers.d)
set(KSD_TMPFILES_DIR lib/tmpfiles.d)
set(KSD_SYSTEMD_SRC ${PROJECT_SOURCE_DIR}/image/systemd)
set(KSD_PKG_BUILD ${PROJECT_BINARY_DIR}/packaging)

# --- ksd-content -------------------------------------------------------------------------------
install(TARGETS ksd-content RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT content)
install(FILES ${PROJECT_SOURCE_DIR}/content/FORMAT.md
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/ksd-content COMPONENT content)

# The sysusers/tmpfiles files of image/systemd/ cover both machines; each package gets its lines
# (those naming ksd-server go to ksd-server), so the two packages never ship the same path.
function(ksd_split_lines src kiosk_out server_out)
    file(STRINGS ${src} lines)
    set(kiosk "")
    set(server "")
    foreach(line IN LISTS lines)
        if(line MATCHES "^[ \t]*#" OR line STREQUAL "")
            string(APPEND kiosk "${line}\n")
            string(APPEND server "${line}\n")
        elseif(line MATCHES "ksd-server")
            string(APPEND server "${line}\n")
        else()
            string(APPEND kiosk "${line}\n")
        endif()
    endforeach()
    file(WRITE ${kiosk_out} "${kiosk}")
    file(WRITE ${server_out} "${server}")
endfunction()
ksd_split_lines(${KSD_SYSTEMD_SRC}/ksd.sysusers
    ${KSD_PKG_BUILD}/sysusers-kiosk.conf ${KSD_PKG_BUILD}/sysusers-server.conf)
ksd_split_lines(${KSD_SYSTEMD_SRC}/ksd.tmpfiles
    ${KSD_PKG_BUILD}/tmpfiles-kiosk.conf ${KSD_PKG_BUILD}/tmpfiles-server.conf)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
    ${KSD_SYSTEMD_SRC}/ksd.sysusers ${KSD_SYSTEMD_SRC}/ksd.tmpfiles)

# Maintainer scripts from one template per script: PKG, its units and its sysusers/tmpfiles name.
function(ksd_maintainer_scripts pkg conf units)
    set(PKG ${pkg})
    set(CONF ${conf})
    set(UNITS ${units})
    foreach(script postinst prerm postrm)
        configure_file(${PROJECT_SOURCE_DIR}/packaging/debian/${script}.in
            ${KSD_PKG_BUILD}/${pkg}/${script} @ONLY
            FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                WORLD_READ WORLD_EXECUTE)
    endforeach()
endfunction()

# --- ksd-kiosk ---------------------------------------------------------------------------------
if(TARGET ksd-kiosk AND TARGET ksd-sync)
    install(TARGETS ksd-kiosk ksd-sync ksd-setup RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        COMPONENT kiosk)
    install(FILES ${KSD_SYSTEMD_SRC}/ksd-kiosk.service ${KSD_SYSTEMD_SRC}/ksd-sync.service
        ${KSD_SYSTEMD_SRC}/ksd-setup.service DESTINATION ${KSD_UNIT_DIR} COMPONENT kiosk)
    # The technician's commented example (the image copies it to the boot partition).
    install(FILES ${PROJECT_SOURCE_DIR}/image/ksd.toml
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/ksd-kiosk COMPONENT kiosk)
    install(FILES ${KSD_PKG_BUILD}/sysusers-kiosk.conf DESTINATION ${KSD_SYSUSERS_DIR}
        RENAME ksd.conf COMPONENT kiosk)
    install(FILES ${KSD_PKG_BUILD}/tmpfiles-kiosk.conf DESTINATION ${KSD_TMPFILES_DIR}
        RENAME ksd.conf COMPONENT kiosk)
    # The example configs are the programs' own --print-config (every key with its default and
    # its documentation), so they can never drift from the code. A cross build runs them through
    # CMAKE_CROSSCOMPILING_EMULATOR (add_custom_command does so for a target's COMMAND).
    add_custom_command(OUTPUT ${KSD_PKG_BUILD}/kiosk.toml ${KSD_PKG_BUILD}/sync.toml
        COMMAND ksd-kiosk --print-config > ${KSD_PKG_BUILD}/kiosk.toml
        COMMAND ksd-sync --print-config > ${KSD_PKG_BUILD}/sync.toml
        DEPENDS ksd-kiosk ksd-sync
        COMMENT "Writing the example configs /etc/ksd/kiosk.toml and sync.toml")
    add_custom_target(ksd_example_configs ALL
        DEPENDS ${KSD_PKG_BUILD}/kiosk.toml ${KSD_PKG_BUILD}/sync.toml)
    install(FILES ${KSD_PKG_BUILD}/kiosk.toml ${KSD_PKG_BUILD}/sync.toml
        DESTINATION /etc/ksd COMPONENT kiosk)
    # The signed demo pack and its public key (the secret key stays in the build tree).
    install(FILES ${PROJECT_BINARY_DIR}/demo/ksd-demo.pack
        ${PROJECT_BINARY_DIR}/demo/ksd-demo.pack.minisig ${PROJECT_BINARY_DIR}/demo/ksd-demo.pub
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/ksd COMPONENT kiosk)
    install(FILES ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/ksd-kiosk COMPONENT kiosk)
    install(FILES ${PROJECT_SOURCE_DIR}/kiosk/README.md
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/ksd-kiosk RENAME README.kiosk.md
        COMPONENT kiosk)
    ksd_maintainer_scripts(ksd-kiosk ksd.conf "ksd-setup.service ksd-kiosk.service ksd-sync.service")
    list(APPEND KSD_PACKAGES kiosk)
endif()

# --- ksd-server --------------------------------------------------------------------------------
if(TARGET ksd-server)
    install(TARGETS ksd-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT server)
    install(FILES ${KSD_SYSTEMD_SRC}/ksd-server.service DESTINATION ${KSD_UNIT_DIR}
        COMPONENT server)
    install(FILES ${KSD_PKG_BUILD}/sysusers-server.conf DESTINATION ${KSD_SYSUSERS_DIR}
        RENAME ksd-server.conf COMPONENT server)
    install(FILES ${KSD_PKG_BUILD}/tmpfiles-server.conf DESTINATION ${KSD_TMPFILES_DIR}
        RENAME ksd-server.conf COMPONENT server)
    install(FILES ${PROJECT_SOURCE_DIR}/packaging/server.toml DESTINATION /etc/ksd
        COMPONENT server)
    install(FILES ${PROJECT_SOURCE_DIR}/sync/README.md ${PROJECT_SOURCE_DIR}/sync/PROTOCOL.md
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/ksd-server COMPONENT server)
    install(FILES ${PROJECT_SOURCE_DIR}/sync/nginx/ksd-server.conf
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/ksd-server RENAME nginx-ksd-server.conf
        COMPONENT server)
    ksd_maintainer_scripts(ksd-server ksd-server.conf "ksd-server.service")
    list(APPEND KSD_PACKAGES server)
endif()
list(APPEND KSD_PACKAGES content)

# Debian policy 12.5 and 12.7: /usr/share/doc/PKG/copyright (machine-readable) and changelog.gz
# (a native package's changelog; compressed with gzip -9n, no timestamp, as dh_compress does).
# The date is SOURCE_DATE_EPOCH's when set (reproducible builds), else the configure time.
set(KSD_MAINTAINER "Anjungan KSD maintainers <ksd@example.go.id>")
string(TIMESTAMP ksd_changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
find_program(KSD_GZIP gzip REQUIRED)
function(ksd_package_docs pkg component extra)
    set(PKG ${pkg})
    set(VERSION ${PROJECT_VERSION})
    set(EXTRA "${extra}")
    configure_file(${PROJECT_SOURCE_DIR}/packaging/debian/copyright.in
        ${KSD_PKG_BUILD}/${pkg}/copyright @ONLY)
    file(WRITE ${KSD_PKG_BUILD}/${pkg}/changelog
        "${pkg} (${PROJECT_VERSION}) unstable; urgency=medium\n\n"
        "  * Anjungan KSD ${PROJECT_VERSION} (the changes: git log of the source tree).\n\n"
        " -- ${KSD_MAINTAINER}  ${ksd_changelog_date}\n")
    execute_process(COMMAND ${KSD_GZIP} -9nf ${KSD_PKG_BUILD}/${pkg}/changelog
        RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "gzip ${KSD_PKG_BUILD}/${pkg}/changelog failed")
    endif()
    install(FILES ${KSD_PKG_BUILD}/${pkg}/copyright ${KSD_PKG_BUILD}/${pkg}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${pkg} COMPONENT ${component})
endfunction()
set(ksd_htmx_copyright "
Files: sync/server/web/static/htmx.min.js
Copyright: 2020 Big Sky Software
License: 0BSD
 Permission to use, copy, modify, and/or distribute this software for any purpose
 with or without fee is hereby granted.
 .
 THE SOFTWARE IS PROVIDED \"AS IS\" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH
 REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND
 FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT, INDIRECT,
 OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA
 OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION,
 ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.")
if(TARGET ksd-kiosk AND TARGET ksd-sync)
    ksd_package_docs(ksd-kiosk kiosk "")
endif()
if(TARGET ksd-server)
    # The server embeds htmx (README "Dependencies").
    ksd_package_docs(ksd-server server "${ksd_htmx_copyright}")
endif()
ksd_package_docs(ksd-content content "")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/packaging/debian/copyright.in)

# conffiles: dpkg keeps an edited config on upgrade (and asks), never overwrites it.
file(WRITE ${KSD_PKG_BUILD}/ksd-kiosk/conffiles "/etc/ksd/kiosk.toml\n/etc/ksd/sync.toml\n")
file(WRITE ${KSD_PKG_BUILD}/ksd-server/conffiles "/etc/ksd/server.toml\n")

# cpack (and `make install`) take the build as it is: scripts/package.sh and ctest build first,
# and the package test must not start a build of its own tree while it runs.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

# --- CPack -------------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ${KSD_PACKAGES})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Anjungan KSD maintainers <ksd@example.go.id>")
set(CPACK_PACKAGE_VENDOR "Anjungan KSD")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# A cross build (preset package-arm64) names its architecture; CPack would ask dpkg for the host's.
if(CMAKE_CROSSCOMPILING)
    if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
        set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
    else()
        message(FATAL_ERROR "no Debian architecture known for ${CMAKE_SYSTEM_PROCESSOR}")
    endif()
endif()
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies come from the binaries (dpkg-shlibdeps); the rest is named by hand below.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# sysusers/tmpfiles need one of these (as dh_installsysusers adds to misc:Depends).
set(ksd_systemd_deps "systemd | systemd-standalone-sysusers | systemd-sysusers")

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME ksd-kiosk)
set(CPACK_COMPONENT_KIOSK_DESCRIPTION "Anjungan KSD self-service kiosk and its sync agent
 The full-screen touch kiosk (SDL2 on KMS/DRM), the agent that sends its requests to the
 central server and fetches replies and content packs, their systemd units, the demo pack.")
# fonts-open-sans: the kiosk's typeface (loaded by file name, so shlibdeps cannot see it);
# ca-certificates: the agent's TLS to the server (libcurl reads the system bundle);
# espeak-ng: the read-aloud (a program the kiosk runs, issue 14).
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "fonts-open-sans, ca-certificates, espeak-ng, ${ksd_systemd_deps}")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA ${KSD_PKG_BUILD}/ksd-kiosk/postinst
    ${KSD_PKG_BUILD}/ksd-kiosk/prerm ${KSD_PKG_BUILD}/ksd-kiosk/postrm
    ${KSD_PKG_BUILD}/ksd-kiosk/conffiles)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME ksd-server)
set(CPACK_COMPONENT_SERVER_DESCRIPTION "Anjungan KSD central server
 The sync API for the kiosks, the staff dashboard and the staff's command line, with its
 systemd unit; an nginx site example is in /usr/share/doc/ksd-server.")
# ca-certificates: e-mail (SMTPS/STARTTLS) and webhooks over TLS through libcurl.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "ca-certificates, ${ksd_systemd_deps}")
set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS "nginx-light | nginx")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA ${KSD_PKG_BUILD}/ksd-server/postinst
    ${KSD_PKG_BUILD}/ksd-server/prerm ${KSD_PKG_BUILD}/ksd-server/postrm
    ${KSD_PKG_BUILD}/ksd-server/conffiles)

set(CPACK_DEBIAN_CONTENT_PACKAGE_NAME ksd-content)
set(CPACK_COMPONENT_CONTENT_DESCRIPTION "Anjungan KSD content pack tool
 Builds, checks and signs the content packs the kiosks show (ksd-content).")

include(CPack)
